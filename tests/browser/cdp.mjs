// Open a page in headless Chromium over the DevTools protocol (a pipe: no websocket library, no
// npm packages), evaluate one async expression in it, optionally save a screenshot, and print
// {"value": …, "errors": […]} as JSON: errors are uncaught exceptions, console.error calls and
// error log entries.
// Usage: node cdp.mjs URL WIDTH SCREENSHOT|- EXPRESSION
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, width, shot, expr] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'collatio-chromium-'));
const proc = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const [toChrome, fromChrome] = [proc.stdio[3], proc.stdio[4]];
const timer = setTimeout(() => finish({ error: 'timed out' }, 2), 60000);

let nextId = 1, buf = Buffer.alloc(0);
const pending = new Map(), waiters = [], errors = [];
fromChrome.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  let at;
  while ((at = buf.indexOf(0)) >= 0) {
    const msg = JSON.parse(buf.subarray(0, at).toString('utf8'));
    buf = buf.subarray(at + 1);
    if (msg.id && pending.has(msg.id)) {
      const { ok, fail } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? fail(new Error(JSON.stringify(msg.error))) : ok(msg.result);
    } else if (msg.method) {
      event(msg);
    }
  }
});
function event(msg) {
  const p = msg.params || {};
  if (msg.method === 'Runtime.exceptionThrown') errors.push('exception: ' + JSON.stringify(p.exceptionDetails));
  if (msg.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) errors.push('console.error: ' + JSON.stringify(p.args));
  if (msg.method === 'Log.entryAdded' && p.entry.level === 'error') errors.push('log: ' + p.entry.text);
  for (const w of waiters.splice(0)) if (!w(msg)) waiters.push(w);
}
function send(method, params = {}, sessionId) {
  const id = nextId++;
  toChrome.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((ok, fail) => pending.set(id, { ok, fail }));
}
function waitFor(method) {
  return new Promise((ok) => waiters.push((m) => (m.method === method ? (ok(m), true) : false)));
}
function finish(out, code) {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify(out) + '\n');
  try { proc.kill('SIGKILL'); } catch (e) { /* gone */ }
  try { rmSync(profile, { recursive: true, force: true }); } catch (e) { /* best effort */ }
  process.exit(code);
}

try {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => send(m, p, sessionId);
  await s('Runtime.enable');
  await s('Log.enable');
  await s('Page.enable');
  await s('Emulation.setDeviceMetricsOverride', { width: Number(width), height: Number(process.env.CDP_HEIGHT || 900), deviceScaleFactor: 1, mobile: Number(width) < 500 });
  const loaded = waitFor('Page.loadEventFired');
  await s('Page.navigate', { url });
  await loaded;
  const r = await s('Runtime.evaluate', { expression: `(async () => { ${expr} })()`, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) errors.push('evaluate: ' + JSON.stringify(r.exceptionDetails));
  if (shot && shot !== '-') {
    const png = await s('Page.captureScreenshot', { format: 'png' });
    writeFileSync(shot, Buffer.from(png.data, 'base64'));
  }
  finish({ value: r.result ? r.result.value : null, errors }, 0);
} catch (e) {
  finish({ error: String(e), errors }, 2);
}
