/**
 * The logged-in user's token. Kept in localStorage so a command-centre screen that restarts stays
 * logged in until the token expires (the server signs it for 12 h); requests add it through
 * `authHeaders()`.
 */
import type { LoginResponse } from '../../../domain/cases/api';
import type { User } from '../../../domain/users';

const STORAGE_KEY = 'citytwin.session';

export interface Session {
  token: string;
  expiresAt: number;
  user: User;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

let current: Session | null = read();

export function currentSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) setSession(null);
  return current;
}

export function setSession(next: LoginResponse | Session | null): void {
  current = next ? { token: next.token, expiresAt: next.expiresAt, user: next.user } : null;
  if (current) localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  else localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener(current);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}
