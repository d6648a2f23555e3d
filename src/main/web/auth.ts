// Browser mode's door: only this machine (127.0.0.1), only our page (Origin and Host), only with the token
// printed at start (in the URL once, then an HttpOnly same-site cookie).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'mlp_studio_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE_NAME) return rest.join('=');
  }
  return undefined;
}

export interface Gate {
  /** The hosts a request may name: "127.0.0.1:PORT" and "localhost:PORT". */
  allowedHosts: string[];
  token: string;
}

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

/** Checks Host (DNS rebinding), Origin (other sites), and the token (other local users and pages). */
export function checkRequest(req: IncomingMessage, gate: Gate, { requireOrigin }: { requireOrigin: boolean }): Verdict {
  const host = req.headers.host ?? '';
  if (!gate.allowedHosts.includes(host)) return { ok: false, status: 421, reason: `host '${host}' refused` };
  const origin = req.headers.origin;
  if (origin !== undefined || requireOrigin) {
    if (!gate.allowedHosts.some((h) => origin === `http://${h}`)) return { ok: false, status: 403, reason: `origin '${origin ?? '(none)'}' refused` };
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const given = url.searchParams.get('token') ?? cookieToken(req.headers.cookie);
  if (!given || !sameSecret(given, gate.token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

export function tokenCookie(token: string): string {
  return `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
