package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of utime and stime in /proc/<pid>/stat
// (sysconf(_SC_CLK_TCK)), asked of getconf once; 100 on every Linux we know.
func clockTicks() int64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 100
}

// cpuTime reads the CPU time (user + system, all threads) the process has
// used so far, from /proc/<pid>/stat.
func cpuTime(pid int, ticks int64) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseCPUTime(raw, ticks)
}

// parseCPUTime takes utime and stime (fields 14 and 15) from the text of a
// /proc/<pid>/stat file. The command name (field 2) may hold spaces and
// parentheses, so the fields are counted from its closing parenthesis.
func parseCPUTime(stat []byte, ticks int64) (time.Duration, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed /proc stat line")
	}
	// After ") " come field 3 (state), 4 (ppid), …: utime is the 12th.
	fields := strings.Fields(string(stat[end+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("malformed /proc stat line: %d fields", len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc stat line: utime %q stime %q", fields[11], fields[12])
	}
	return time.Duration(utime+stime) * time.Second / time.Duration(ticks), nil
}

// resetPeakRSS sets the process's VmHWM back to its current RSS (writing 5
// to clear_refs, Linux 4.0 and later), so that the next reading is the peak
// of one run alone.
func resetPeakRSS(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// peakRSS reads VmHWM, the peak resident set size, from /proc/<pid>/status,
// in bytes.
func peakRSS(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmHWM(raw)
}

// parseVmHWM finds the "VmHWM:   1234 kB" line of a /proc/<pid>/status file.
func parseVmHWM(status []byte) (int64, error) {
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed VmHWM line %q", line)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no VmHWM line in /proc status")
}

// cpuOfPids reads the CPU time of each pid that is still alive.
func cpuOfPids(pids []int, ticks int64) map[int]time.Duration {
	out := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		if d, err := cpuTime(pid, ticks); err == nil {
			out[pid] = d
		}
	}
	return out
}

// cpuDelta adds up, over the pids alive after a run, the CPU time used since
// before it; a pid that started during the run counts in full.
func cpuDelta(before, after map[int]time.Duration) time.Duration {
	var sum time.Duration
	for pid, a := range after {
		sum += a - before[pid]
	}
	return sum
}
