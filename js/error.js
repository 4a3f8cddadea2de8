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

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, status: this.status, body: this.body };
  }
}
