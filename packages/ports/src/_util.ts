// internal helpers, not exported from the package

/** Quotes a path or key for a message, escaping control characters so a log line stays one line. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` is well-formed UTF-16 (no lone surrogate), so it can be encoded as UTF-8. */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
