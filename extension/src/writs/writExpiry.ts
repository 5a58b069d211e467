// Which writs just ran out, so the reviewer hears about it once (pure: no vscode import, unit-tested).
// A writ that expired long before this window first saw it is not news; one that expires while the
// window watches, or shortly before it first looked, is.

/** The fields of a writ this module needs (a subset of protocol.ts's WritInfo). */
export interface WritLike {
  writId: string;
  agent: string;
  state: string;
  expiresAt: string;
}

/** How long before the first look an expiry still counts as news (ten minutes). */
export const RecentExpiryMs = 10 * 60 * 1000;

/** True when the writ can no longer be used because its lifetime ended (revoked writs are not expiries). */
export function isExpired(writ: WritLike, now: number): boolean {
  if (writ.state === 'revoked') {
    return false;
  }
  return writ.state === 'expired' || Date.parse(writ.expiresAt) <= now;
}

/**
 * The writs to announce now. `seen` holds the writ ids this window has already looked at, with whether each was
 * expired then; it is updated in place. A writ is announced when it is expired now and either was seen active
 * before, or is seen for the first time having expired less than RecentExpiryMs ago.
 */
export function newlyExpired(writs: readonly WritLike[], seen: Map<string, boolean>, now: number): WritLike[] {
  const news: WritLike[] = [];
  for (const writ of writs) {
    const expired = isExpired(writ, now);
    const before = seen.get(writ.writId);
    if (expired && before === false) {
      news.push(writ);
    } else if (expired && before === undefined && now - Date.parse(writ.expiresAt) < RecentExpiryMs) {
      news.push(writ);
    }
    seen.set(writ.writId, expired);
  }
  return news;
}

/** Milliseconds until the next active writ expires (at least one second), or undefined when none will. */
export function nextExpiryIn(writs: readonly WritLike[], now: number): number | undefined {
  const upcoming = writs.filter((w) => !isExpired(w, now) && w.state === 'active').map((w) => Date.parse(w.expiresAt) - now);
  return upcoming.length === 0 ? undefined : Math.max(1000, Math.min(...upcoming) + 500);
}

/** The notification text for an expired writ. */
export function expiryMessage(writ: WritLike, folderName: string): string {
  const at = new Date(writ.expiresAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/u, ' UTC');
  return `OpenThymos: ${writ.agent}'s access to '${folderName}' expired at ${at}, so its new proposals are refused. ` +
    'Proposals it already made stay pending for you. Grant access again if the agent should go on.';
}
