package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// phases are the raw observations of one combination.
type phases struct {
	RSSBefore, RSSIdle, PeakRSS int64
	X0, X1, X2                  reading // idle window start, end (= write start), after the engine stopped
	WriterStmts                 int
	Commits                     []commit
	IdleDeliveries              int64
	CPU                         time.Duration // engine, write phase and grace
	Wall                        time.Duration
	Deliveries                  []delivery
}

// runCombination starts an engine, subscribes n subscribers over q rows,
// measures the idle window and the write phase, stops the engine and
// returns the combination's row.
func runCombination(ctx context.Context, db *monitor, o options, n, q int) (result, error) {
	eng, err := startEngine(ctx, o)
	if err != nil {
		return result{}, err
	}
	defer eng.stop()
	p, err := observe(ctx, db, eng, o, n, q)
	if err != nil {
		return result{}, err
	}
	return analyse(o.Mode, n, q, p), nil
}

// observe runs the phases of one combination on a started engine, and
// stops it.
func observe(ctx context.Context, db *monitor, eng *engine, o options, n, q int) (phases, error) {
	var p phases
	// Build the admin schema first: it is not the subscribers' memory.
	if err := eng.query(ctx, "{ counters(limit: 1) { id value } }"); err != nil {
		return p, err
	}
	time.Sleep(500 * time.Millisecond)
	var err error
	if p.RSSBefore, _, err = memory(eng.Pid()); err != nil {
		return p, err
	}
	wsURL := "ws" + strings.TrimPrefix(eng.base, "http") + "/v1/graphql"
	f, err := openFleet(ctx, wsURL, o.Mode, n, q, o.PerConn)
	if err != nil {
		return p, err
	}
	defer f.close()
	logf("  %d subscribers on %d connections have their first result; settling %s", n, len(f.conns), o.Settle)
	if err := sleepOrFail(ctx, f, o.Settle); err != nil {
		return p, err
	}
	if p.RSSIdle, _, err = memory(eng.Pid()); err != nil {
		return p, err
	}
	w, err := newWriter(ctx, o.DatabaseURL, db.force)
	if err != nil {
		return p, err
	}
	defer w.close()
	if err := p.idleWindow(ctx, db, f, o.Idle); err != nil {
		return p, err
	}
	if err := p.writePhase(ctx, w, f, eng, o, n, q); err != nil {
		return p, err
	}
	if _, p.PeakRSS, err = memory(eng.Pid()); err != nil {
		return p, err
	}
	// Stop everything that counts commits, so that their backends write
	// their statistics as they exit, then read the counter.
	f.close()
	w.close()
	eng.stop()
	if err := db.waitBackendsGone(ctx); err != nil {
		return p, err
	}
	if p.X2, err = db.read(ctx); err != nil {
		return p, err
	}
	for _, c := range f.conns {
		p.Deliveries = append(p.Deliveries, c.deliveries...)
	}
	return p, nil
}

// idleWindow counts the commits of a window with no writes.
func (p *phases) idleWindow(ctx context.Context, db *monitor, f *fleet, d time.Duration) error {
	var err error
	if p.X0, err = db.read(ctx); err != nil {
		return err
	}
	if err := sleepOrFail(ctx, f, d); err != nil {
		return err
	}
	if p.X1, err = db.read(ctx); err != nil {
		return err
	}
	p.IdleDeliveries = f.delivered.Load()
	return nil
}

// writePhase runs the writer, then waits for the deliveries it should
// cause (at most o.Grace), with the engine's CPU time over both.
func (p *phases) writePhase(ctx context.Context, w *writer, f *fleet, eng *engine, o options, n, q int) error {
	ticks := clockTicks()
	cpu0, err := cpuTime(eng.Pid(), ticks)
	if err != nil {
		return err
	}
	t0 := time.Now()
	p.Commits, p.WriterStmts, err = w.run(ctx, o.Rate, o.Duration, q)
	if err != nil {
		return err
	}
	want := p.IdleDeliveries
	for _, c := range p.Commits {
		want += int64(subscribersOf(int(c.ID), n, q))
	}
	deadline := time.Now().Add(o.Grace)
	for f.delivered.Load() < want && time.Now().Before(deadline) {
		if err := sleepOrFail(ctx, f, 10*time.Millisecond); err != nil {
			return err
		}
	}
	cpu1, err := cpuTime(eng.Pid(), ticks)
	if err != nil {
		return err
	}
	p.CPU, p.Wall = cpu1-cpu0, time.Since(t0)
	return f.readErr()
}

// sleepOrFail waits d, or less if a reader fails or ctx ends.
func sleepOrFail(ctx context.Context, f *fleet, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-f.failed:
		return fmt.Errorf("subscriber connection: %w", err)
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// subscribersOf is how many of n subscribers read row id (subscriber i
// reads row i % q + 1).
func subscribersOf(id, n, q int) int {
	s := n / q
	if id-1 < n%q {
		s++
	}
	return s
}
