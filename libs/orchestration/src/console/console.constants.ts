/** Injection token of the console's options. */
export const TRELLIS_CONSOLE_OPTIONS = 'TRELLIS:CONSOLE_OPTIONS';

/**
 * The Content-Security-Policy of every console response: scripts, styles, workers and requests
 * of the console's own origin only, no inline script or style, no framing. It replaces whatever
 * policy the host set for these responses (the console needs no more, and Swagger UI's
 * `'unsafe-inline'` styles are not wanted here).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Cache-Control of the content-hashed assets. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
