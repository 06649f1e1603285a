import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every answer carries: no framing, no MIME sniffing, no referrer leaving the origin. */
const COMMON: Record<string, string> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** API answers are data, never documents: nothing in them may run or be framed. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The dashboard's policy. Scripts only from this origin or carrying this response's nonce
 * (Next reads the nonce from the request's CSP header and puts it on the inline scripts it
 * writes), so no injected markup can run script. Styles allow inline attributes: React,
 * xterm and uPlot set element styles, which cannot carry nonces. Hot reload in development
 * needs eval.
 */
function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function setApiSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(COMMON)) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', API_POLICY);
}

/** For a page request: sets the response headers and hands Next the nonce through the request. */
export function setPageSecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const policy = pagePolicy(randomBytes(18).toString('base64'), dev);
  for (const [name, value] of Object.entries(COMMON)) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', policy);
  req.headers['content-security-policy'] = policy;
}
