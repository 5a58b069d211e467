// Which expired writs the extension announces (extension/src/writs/writExpiry.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const { expiryMessage, isExpired, newlyExpired, nextExpiryIn, RecentExpiryMs } = await importExtensionModule('writs/writExpiry');

const now = Date.parse('2026-11-26T12:00:00Z');
const at = (offsetMs) => new Date(now + offsetMs).toISOString();
const writ = (writId, state, expiresOffsetMs, agent = 'claude-code') => ({ writId, agent, state, expiresAt: at(expiresOffsetMs) });

test('a writ seen active and then expired is announced exactly once', () => {
  const seen = new Map();
  assert.deepEqual(newlyExpired([writ('w1', 'active', 60_000)], seen, now), []);
  const later = now + 120_000;
  const news = newlyExpired([writ('w1', 'expired', 60_000)], seen, later);
  assert.deepEqual(news.map((w) => w.writId), ['w1']);
  assert.deepEqual(newlyExpired([writ('w1', 'expired', 60_000)], seen, later + 1000), []);
});

test('a writ whose expiry time passed counts as expired even if the sidecar still says active', () => {
  assert.equal(isExpired(writ('w1', 'active', -1), now), true);
  assert.equal(isExpired(writ('w1', 'active', 1), now), false);
  const seen = new Map([['w1', false]]);
  assert.deepEqual(newlyExpired([writ('w1', 'active', -1)], seen, now).map((w) => w.writId), ['w1']);
});

test('on the first look, only a recent expiry is news; old ones and revoked writs are not', () => {
  const seen = new Map();
  const news = newlyExpired([
    writ('recent', 'expired', -(RecentExpiryMs - 1000)),
    writ('old', 'expired', -(RecentExpiryMs + 1000)),
    writ('revoked', 'revoked', -1000),
    writ('active', 'active', 3_600_000),
  ], seen, now);
  assert.deepEqual(news.map((w) => w.writId), ['recent']);
  assert.deepEqual([...seen.entries()].sort(), [['active', false], ['old', true], ['recent', true], ['revoked', false]]);
});

test('the next check is scheduled just after the earliest active writ expires', () => {
  assert.equal(nextExpiryIn([writ('a', 'active', 90_000), writ('b', 'active', 30_000), writ('c', 'expired', -5)], now), 30_500);
  assert.equal(nextExpiryIn([writ('c', 'expired', -5), writ('r', 'revoked', 10_000)], now), undefined);
  assert.equal(nextExpiryIn([writ('soon', 'active', 10)], now), 1000);
});

test('the message names the agent, the folder, the time, what happens now and what to do', () => {
  const text = expiryMessage(writ('w1', 'expired', 0, 'aider'), 'shop');
  assert.match(text, /aider's access to 'shop' expired at 2026-11-26 12:00:00 UTC/);
  assert.match(text, /new proposals are refused/);
  assert.match(text, /stay pending/);
  assert.match(text, /Grant access again/);
});
