//! `client.on(event, listener)`: `tokenRefreshed`, `retry`, `error`.

use std::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;

pub const EVENTS: [&str; 3] = ["tokenRefreshed", "retry", "error"];

#[derive(Default)]
pub struct Events {
    next_id: Cell<u32>,
    listeners: RefCell<Vec<(u32, &'static str, Function)>>,
}

impl Events {
    /// Registers a listener; `None` when the event name is unknown.
    pub fn add(&self, event: &str, listener: Function) -> Option<u32> {
        let name = EVENTS.iter().find(|e| **e == event)?;
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        self.listeners.try_borrow_mut().ok()?.push((id, name, listener));
        Some(id)
    }

    pub fn remove(&self, id: u32) {
        if let Ok(mut l) = self.listeners.try_borrow_mut() {
            l.retain(|(i, _, _)| *i != id);
        }
    }

    pub fn has(&self, event: &str) -> bool {
        self.listeners.try_borrow().is_ok_and(|l| l.iter().any(|(_, e, _)| *e == event))
    }

    /// Calls each listener; a listener that throws cannot break the request that emitted.
    pub fn emit(&self, event: &str, payload: &JsValue) {
        let targets: Vec<Function> = match self.listeners.try_borrow() {
            Ok(l) => l.iter().filter(|(_, e, _)| *e == event).map(|(_, _, f)| f.clone()).collect(),
            Err(_) => return,
        };
        for f in targets {
            let _ = f.call1(&JsValue::UNDEFINED, payload);
        }
    }
}
