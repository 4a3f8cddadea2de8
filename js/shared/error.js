// Shared by every copy of this class: a Node app that both imports (ESM build) and requires
// (CommonJS build) the package loads two copies, and `instanceof SpikeError` must hold for errors
// from either.
const BRAND = Symbol.for('@spike/sdk:SpikeError');

/**
 * The one error class the SDK throws. `code` is stable and machine-readable (see the README's
 * error table); `status` is the HTTP status when a server answered; `body` is the parsed error
 * body for `http_error`. Messages never contain tokens or keys.
 */
export class SpikeError extends Error {
  constructor(code, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpikeError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.body !== undefined) this.body = options.body;
  }

  /** `err instanceof SpikeError` is true for a SpikeError from any copy of the package. */
  static [Symbol.hasInstance](value) {
    if (this !== SpikeError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value !== null && typeof value === 'object' && value[BRAND] === true;
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, status: this.status, body: this.body };
  }
}

Object.defineProperty(SpikeError.prototype, BRAND, { value: true });
