// Waits until URL answers 200: node wait-healthz.mjs URL TIMEOUT_SECONDS [PID]
// Exits 1 on timeout, or as soon as PID (the server) has exited.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [target, timeoutArg = '120', pidArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: node wait-healthz.mjs URL [TIMEOUT_SECONDS] [PID]');
  process.exit(2);
}
const deadline = Date.now() + Number(timeoutArg) * 1000;
const pid = pidArg ? Number(pidArg) : null;

function alive() {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // An exited but not yet reaped child is a zombie: state Z in /proc/PID/stat.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

function probe() {
  return new Promise((resolve) => {
    const req = http.get(target, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

while (Date.now() < deadline) {
  if (await probe()) {
    // Answered, and by our server: it is still running (not another one on that port).
    await new Promise((r) => setTimeout(r, 200));
    if (alive()) {
      console.log(`${target} is up`);
      process.exit(0);
    }
  }
  if (!alive()) {
    console.error(`the server (pid ${pid}) exited before ${target} answered`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
console.error(`${target} did not answer 200 within ${timeoutArg} s`);
process.exit(1);
