// CPU accounting from Linux /proc: what the server (wrangler and its workerd, every process
// descended from the bench) spent, split by process, and how busy the whole machine was, so a
// slice's figures can say how much of the machine was someone else's.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU seconds used so far by every process descended from this one (wrangler and its workerd, and
 * whatever they have reaped), and their pids: a pid that disappears means workerd was restarted.
 */
export function serverCpu() {
  if (!existsSync("/proc/self/stat")) return { seconds: NaN, pids: new Map() };
  const children = new Map();
  const ticks = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      // utime + stime + cutime + cstime
      ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(pid);
    } catch {
      // the process went away
    }
  }
  let total = 0;
  const pids = new Map();
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop();
    pids.set(pid, (ticks.get(pid) ?? 0) / CLK_TCK);
    total += ticks.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return { seconds: total / CLK_TCK, pids };
}

const processNames = new Map();
/** wrangler dev runs two workerd: one for its proxy in front, one for the Worker and its DOs, D1. */
export function processName(pid) {
  if (!processNames.has(pid)) {
    let name = `pid ${pid}`;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("workerd")) name = args.some((a) => /^--socket-addr=entry=127\.0\.0\.1:0$/.test(a)) ? "worker" : "proxy";
      else if (args.some((a) => a.includes("wrangler"))) name = "wrangler";
      else if (args.some((a) => a.includes("esbuild"))) name = "esbuild";
    } catch {
      // gone
    }
    processNames.set(pid, name);
  }
  return processNames.get(pid);
}

/** Busy and total CPU seconds of the whole machine (/proc/stat), to show what else is running. */
export function machineCpu() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4];
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Starts measuring; the returned function adds what the server, this process and the machine
 * spent since into `stats` (and notes a server restart in it), and returns whether one happened.
 */
export function cpuMeter(stats) {
  const gen0 = process.cpuUsage();
  const server0 = serverCpu();
  const machine0 = machineCpu();
  return () => {
    const gen = process.cpuUsage(gen0);
    stats.genCpuS += (gen.user + gen.system) / 1e6;
    stats.machineBusyS += machineCpu().busy - machine0.busy;
    const server1 = serverCpu();
    stats.serverCpuS += server1.seconds - server0.seconds;
    for (const [pid, seconds] of server1.pids) {
      const name = processName(pid);
      stats.perProcessS.set(name, (stats.perProcessS.get(name) ?? 0) + seconds - (server0.pids.get(pid) ?? seconds));
    }
    const restarted = [...server0.pids.keys()].some((pid) => !server1.pids.has(pid));
    if (restarted) stats.restarts++;
    return restarted;
  };
}
