/**
 * `run` while idle: resident memory and CPU use of the real bot process with
 * the sample config, between posts. Targets: RSS ≤ 150 MB, no busy loop.
 * (A benchmark may wait in real time; tests may not.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SETTLE_MS = 20_000;
const MEASURE_MS = 20_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function readRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function readCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of /proc/PID/stat (index 11 and 12 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-herald-bench-idle-'));
  const child = spawn(process.execPath, [path.join(root, 'bin', 'quota-herald.js'), 'run', '--config', path.join(root, 'config'), '--data', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    // Start-up (load, plan, first sync) peaks higher; the heap settles after the first GCs.
    const pid = child.pid!;
    let startupPeak = 0;
    for (let elapsed = 0; elapsed < SETTLE_MS; elapsed += 500) {
      await wait(500);
      if (child.exitCode !== null) throw new Error(`bot exited early (${child.exitCode}): ${stderr}`);
      startupPeak = Math.max(startupPeak, readRssMb(pid));
    }
    const cpuBefore = readCpuSeconds(pid);
    let peakRss = 0;
    const samples: number[] = [];
    for (let elapsed = 0; elapsed < MEASURE_MS; elapsed += 1000) {
      await wait(1000);
      const rss = readRssMb(pid);
      samples.push(rss);
      peakRss = Math.max(peakRss, rss);
    }
    const cpu = readCpuSeconds(pid) - cpuBefore;
    const cpuPercent = (cpu / (MEASURE_MS / 1000)) * 100;
    console.log(`run idle: RSS ${samples[samples.length - 1]!.toFixed(0)} MB (idle peak ${peakRss.toFixed(0)} MB, start-up peak ${startupPeak.toFixed(0)} MB, target ≤ 150 MB), CPU ${cpu.toFixed(2)} s over ${MEASURE_MS / 1000} s = ${cpuPercent.toFixed(2)} % (no busy loop: ≈ 0 %)`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
