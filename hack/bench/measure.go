package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// measurement is what one measured run of one server says.
type measurement struct {
	Load loadResult
	// CPU is the server's CPU time (user + system) over the run.
	CPU time.Duration
	// PostgresCPU is the CPU time of the Postgres backends serving the
	// server over the run; negative when it could not be read.
	PostgresCPU time.Duration
	// PeakRSS is the server's VmHWM over the run, in bytes; negative when
	// it could not be read.
	PeakRSS int64
	// PeakSinceStart says PeakRSS is the peak since the server started
	// (VmHWM could not be reset before the run).
	PeakSinceStart bool
}

// measure runs the warm-up, then the measured run against srv with its CPU
// and memory, and those of its Postgres backends, read from /proc before
// and after it. The engine and the floor go through it alike.
func measure(ctx context.Context, db *pgx.Conn, srv *server, ticks int64, spec loadSpec, warmup time.Duration) (measurement, error) {
	if warmup > 0 {
		w := spec
		w.Duration = warmup
		if _, err := runLoad(ctx, w); err != nil {
			return measurement{}, fmt.Errorf("warm-up: %w", err)
		}
	}
	m := measurement{PeakRSS: -1, PostgresCPU: -1}
	if err := resetPeakRSS(srv.Pid()); err != nil {
		m.PeakSinceStart = true
	}
	backends, pgErr := postgresBackends(ctx, db, srv.AppName())
	pgBefore := cpuOfPids(backends, ticks)
	before, err := cpuTime(srv.Pid(), ticks)
	if err != nil {
		return measurement{}, fmt.Errorf("reading the %s's CPU time: %w", srv.Name(), err)
	}

	load, err := runLoad(ctx, spec)
	if err != nil {
		return measurement{}, err
	}

	after, err := cpuTime(srv.Pid(), ticks)
	if err != nil {
		return measurement{}, fmt.Errorf("reading the %s's CPU time: %w", srv.Name(), err)
	}
	m.Load = load
	m.CPU = after - before
	if rss, err := peakRSS(srv.Pid()); err == nil {
		m.PeakRSS = rss
	}
	// Backends the pool opened during the run count from their start.
	if pgAfter, err := postgresBackends(ctx, db, srv.AppName()); err == nil && pgErr == nil && len(pgAfter) > 0 {
		m.PostgresCPU = cpuDelta(pgBefore, cpuOfPids(pgAfter, ticks))
	}
	return m, nil
}

// postgresBackends lists the server processes of the benchmark database's
// clients named appName (one server's pool), when they run on this machine.
func postgresBackends(ctx context.Context, db *pgx.Conn, appName string) ([]int, error) {
	rows, err := db.Query(ctx, `select pid from pg_stat_activity
		where datname = current_database() and backend_type = 'client backend'
		  and application_name = $1 and pid <> pg_backend_pid()`, appName)
	if err != nil {
		return nil, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	var local []int
	for _, pid := range pids {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			local = append(local, int(pid))
		}
	}
	return local, nil
}
