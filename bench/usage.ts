/** CPU time since the last `reset` and peak RSS of this process, for the bench. */
let base = process.cpuUsage();

export function usage(): { cpuSeconds: number; peakRssMb: number } {
  const cpu = process.cpuUsage(base);
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Counts CPU from now on (after start-up: loading and compiling the code is not the tracker's cost). */
usage.reset = (): void => {
  base = process.cpuUsage();
};
