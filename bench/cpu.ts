/**
 * CPU used over an interval, read from /proc (Linux): utime + stime of given processes, of every
 * PostgreSQL and Java (Kafka broker) process on the machine, of this process, and the machine's
 * busy time from /proc/stat. Two snapshots, start and end; the difference says who used the cores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { round } from './lib';

/** Linux USER_HZ: /proc times are in 1/100 s. */
const TICKS_PER_SECOND = 100;

/** Every process below `root` (its process group's node, under npm and sh). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) {
      if (p !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** Whether any process of process group `group` is still running (zombies aside). */
export function processGroupAlive(group: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === group && state !== 'Z') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** utime + stime of a process, in ticks (0 when it is gone). */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function pidsNamed(comm: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    });
}

/** The machine's busy and total ticks over all cores (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuSnapshot {
  instances: number[];
  postgres: number;
  kafka: number;
  bench: number;
  machine: { busy: number; total: number };
}

export function snapshot(instancePids: number[]): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    instances: instancePids.map(cpuTicks),
    postgres: pidsNamed('postgres').reduce((sum, pid) => sum + cpuTicks(pid), 0),
    kafka: pidsNamed('java').reduce((sum, pid) => sum + cpuTicks(pid), 0),
    bench: ((usage.user + usage.system) / 1e6) * TICKS_PER_SECOND,
    machine: machineTicks(),
  };
}

/** CPU over an interval, in % of one core (this machine's cores × 100 is all of it). */
export interface CpuUse {
  /** The processes given to `snapshot`, each. */
  instances: number[];
  postgres: number;
  kafka: number;
  /** This process (the bench, and whatever it runs in process). */
  bench: number;
  /** Everything else on the machine: other engineers' test runs, the kernel, other services. */
  other: number;
  machine: number;
  cores: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, seconds: number): CpuUse {
  const pct = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds) * 100;
  const cores = cpus().length;
  const instances = b.instances.map((t, i) => pct(t - a.instances[i]));
  const postgres = pct(b.postgres - a.postgres);
  const kafka = pct(b.kafka - a.kafka);
  const bench = pct(b.bench - a.bench);
  const machine = ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * 100 * cores;
  const known = instances.reduce((x, y) => x + y, 0) + postgres + kafka + bench;
  return {
    instances: instances.map((v) => round(v, 0)),
    postgres: round(postgres, 0),
    kafka: round(kafka, 0),
    bench: round(bench, 0),
    other: round(Math.max(0, machine - known), 0),
    machine: round(machine, 0),
    cores,
  };
}

/** One line: who used the cores. */
export function describeCpu(cpu: CpuUse, instancesName = 'instances'): string {
  const inst = cpu.instances.length ? `${instancesName} ${cpu.instances.join(' + ')}, ` : '';
  return `CPU % of a core: ${inst}postgres ${cpu.postgres}, kafka ${cpu.kafka}, bench ${cpu.bench}, other ${cpu.other}; machine ${cpu.machine} of ${cpu.cores * 100}`;
}
