package replication

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// closeTimeout bounds the Terminate sent when a stream ends.
const closeTimeout = 5 * time.Second

// silenceFactor: a stream that hears nothing for silenceFactor standby
// intervals (each status update asks the server for a reply) is dead.
const silenceFactor = 3

// errSilent reports a server that stopped answering.
var errSilent = errors.New("replication: no message from the server")

// stream is one replication connection with its slot, owned by the reader
// goroutine. It decodes pgoutput into Events.
type stream struct {
	conn     *pgconn.PgConn
	start    pglogrepl.LSN // consistent point of a new slot; 0 for a reused one
	interval time.Duration

	relations map[uint32]Table
	inTx      bool
	touched   map[Table]struct{}
	received  pglogrepl.LSN // last WAL position received
	flushed   pglogrepl.LSN // last position whose changes are queued
}

// openStream connects with replication=database, creates the slot
// (temporary unless cfg.Permanent; a permanent one is reused when it
// exists) and starts pgoutput on cfg.Publication. Errors that mean the
// server will not replicate to us wrap ErrUnavailable.
func openStream(ctx context.Context, cfg Config) (*stream, error) {
	pc, err := pgconn.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("replication: parse database URL: %w", err)
	}
	pc.RuntimeParams["replication"] = "database"
	conn, err := pgconn.ConnectConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("%w: replication connection refused: %w", ErrUnavailable, err)
	}
	s := &stream{
		conn:      conn,
		interval:  cfg.StandbyInterval,
		relations: make(map[uint32]Table),
		touched:   make(map[Table]struct{}),
	}
	if err := s.startSlot(ctx, cfg); err != nil {
		return nil, errors.Join(err, s.close())
	}
	return s, nil
}

func (s *stream) startSlot(ctx context.Context, cfg Config) error {
	res, err := pglogrepl.CreateReplicationSlot(ctx, s.conn, cfg.Slot, "pgoutput",
		pglogrepl.CreateReplicationSlotOptions{
			Temporary:      !cfg.Permanent,
			SnapshotAction: "NOEXPORT_SNAPSHOT",
			Mode:           pglogrepl.LogicalReplication,
		})
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		if s.start, err = pglogrepl.ParseLSN(res.ConsistentPoint); err != nil {
			return fmt.Errorf("replication: slot %s consistent point: %w", cfg.Slot, err)
		}
	case cfg.Permanent && errors.As(err, &pgErr) && pgErr.Code == codeDuplicateObject:
		// Reuse the permanent slot: it resumes at its confirmed position.
	default:
		return unavailable("create slot "+cfg.Slot, err)
	}
	s.received, s.flushed = s.start, s.start
	// namePattern guarantees that the publication name needs no escaping.
	err = pglogrepl.StartReplication(ctx, s.conn, cfg.Slot, 0, pglogrepl.StartReplicationOptions{
		Mode:       pglogrepl.LogicalReplication,
		PluginArgs: []string{"proto_version '1'", "publication_names '" + cfg.Publication + "'"},
	})
	if err != nil {
		return unavailable("start replication on slot "+cfg.Slot, err)
	}
	return nil
}

// close ends the connection, which drops a temporary slot. The connection
// is gone even when it returns an error (a failed Terminate).
func (s *stream) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return s.conn.Close(ctx)
}

// run reads the stream, pushing an Event to q for every commit that
// changed a table, until ctx ends or the connection fails.
func (s *stream) run(ctx context.Context, q *queue) error {
	nextStatus := time.Now().Add(s.interval)
	lastHeard := time.Now()
	for {
		if now := time.Now(); !now.Before(nextStatus) {
			if now.Sub(lastHeard) > silenceFactor*s.interval {
				return errSilent
			}
			if err := s.sendStatus(ctx, true); err != nil {
				return err
			}
			nextStatus = now.Add(s.interval)
		}
		rctx, cancel := context.WithDeadline(ctx, nextStatus)
		msg, err := s.conn.ReceiveMessage(rctx)
		cancel()
		if err != nil {
			if pgconn.Timeout(err) && ctx.Err() == nil {
				continue
			}
			return fmt.Errorf("replication: receive: %w", err)
		}
		lastHeard = time.Now()
		switch msg := msg.(type) {
		case *pgproto3.CopyData:
			if err := s.handleCopyData(ctx, msg.Data, q); err != nil {
				return err
			}
		case *pgproto3.ErrorResponse:
			return fmt.Errorf("replication: server: %w", pgconn.ErrorResponseToPgError(msg))
		}
	}
}

func (s *stream) handleCopyData(ctx context.Context, data []byte, q *queue) error {
	if len(data) == 0 {
		return nil
	}
	switch data[0] {
	case pglogrepl.PrimaryKeepaliveMessageByteID:
		ka, err := pglogrepl.ParsePrimaryKeepaliveMessage(data[1:])
		if err != nil {
			return fmt.Errorf("replication: keepalive: %w", err)
		}
		s.received = max(s.received, ka.ServerWALEnd)
		if !s.inTx {
			// Nothing is half-decoded: everything up to here is handled.
			s.flushed = s.received
		}
		if ka.ReplyRequested {
			return s.sendStatus(ctx, false)
		}
	case pglogrepl.XLogDataByteID:
		xld, err := pglogrepl.ParseXLogData(data[1:])
		if err != nil {
			return fmt.Errorf("replication: xlog data: %w", err)
		}
		// A logical walsender stamps each message with the position of the
		// record it decoded; positions beyond the server's make a
		// shutting-down walsender wait for an acknowledgement that matches.
		s.received = max(s.received, xld.WALStart)
		return s.decode(xld.WALData, q)
	}
	return nil
}

// decode handles one pgoutput message.
func (s *stream) decode(data []byte, q *queue) error {
	msg, err := pglogrepl.Parse(data)
	if err != nil {
		return fmt.Errorf("replication: decode pgoutput: %w", err)
	}
	switch m := msg.(type) {
	case *pglogrepl.RelationMessage:
		s.relations[m.RelationID] = Table{Schema: m.Namespace, Name: m.RelationName}
	case *pglogrepl.BeginMessage:
		s.inTx = true
		clear(s.touched)
	case *pglogrepl.InsertMessage:
		return s.touch(m.RelationID)
	case *pglogrepl.UpdateMessage:
		return s.touch(m.RelationID)
	case *pglogrepl.DeleteMessage:
		return s.touch(m.RelationID)
	case *pglogrepl.TruncateMessage:
		for _, id := range m.RelationIDs {
			if err := s.touch(id); err != nil {
				return err
			}
		}
	case *pglogrepl.CommitMessage:
		s.commit(m, q)
	}
	return nil
}

func (s *stream) touch(relationID uint32) error {
	t, ok := s.relations[relationID]
	if !ok {
		return fmt.Errorf("replication: change to relation %d before its relation message", relationID)
	}
	s.touched[t] = struct{}{}
	return nil
}

func (s *stream) commit(m *pglogrepl.CommitMessage, q *queue) {
	s.inTx = false
	if len(s.touched) > 0 {
		tables := make([]Table, 0, len(s.touched))
		for t := range s.touched {
			tables = append(tables, t)
		}
		q.push(Event{Kind: Commit, Tables: sortedTables(tables), LSN: m.TransactionEndLSN, CommitTime: m.CommitTime})
		clear(s.touched)
	}
	s.flushed = max(s.flushed, m.TransactionEndLSN)
	s.received = max(s.received, s.flushed)
}

// sendStatus reports the received and flushed positions. replyRequested
// asks the server for a keepalive back, which proves it is alive.
func (s *stream) sendStatus(ctx context.Context, replyRequested bool) error {
	err := pglogrepl.SendStandbyStatusUpdate(ctx, s.conn, pglogrepl.StandbyStatusUpdate{
		WALWritePosition: s.received,
		WALFlushPosition: s.flushed,
		WALApplyPosition: s.flushed,
		ReplyRequested:   replyRequested,
	})
	if err != nil {
		return fmt.Errorf("replication: send standby status: %w", err)
	}
	return nil
}
