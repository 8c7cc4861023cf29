package replication

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// Table names a table (or, for BaseTables, a view) by schema and name.
type Table struct{ Schema, Name string }

// String returns the quoted, schema-qualified name.
func (t Table) String() string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }

// Config configures a Listener. Only DatabaseURL is required.
type Config struct {
	// DatabaseURL is an ordinary connection string (URL or keyword/value);
	// the package adds replication=database for the replication connection.
	DatabaseURL string
	// Publication names the publication to read; default DefaultPublication.
	Publication string
	// Slot names the replication slot; default SlotPrefix + random hex.
	Slot string
	// Permanent keeps a permanent slot instead of a temporary one. Off by
	// default: a crashed engine must never make Postgres retain WAL forever.
	Permanent bool
	// StandbyInterval is the interval between standby status updates;
	// default 10s. Keepalives that ask for a reply are answered at once.
	StandbyInterval time.Duration
	// MinBackoff and MaxBackoff bound the reconnect backoff; defaults 100ms
	// and 5s.
	MinBackoff, MaxBackoff time.Duration
	// Logger receives connection losses (Warn) and recoveries (Info);
	// default discard.
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultPublication     = "trellis_live"
	SlotPrefix             = "trellis_live_"
	defaultStandbyInterval = 10 * time.Second
	defaultMinBackoff      = 100 * time.Millisecond
	defaultMaxBackoff      = 5 * time.Second
)

// namePattern is what slot and publication names must match: slot names
// reach replication commands, which take no parameters, so they are checked
// rather than quoted. It is Postgres's own rule for slot names.
var namePattern = regexp.MustCompile(`^[a-z0-9_]{1,63}$`)

// withDefaults returns cfg with defaults filled in, or an error when a
// setting is invalid.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.DatabaseURL == "" {
		return cfg, errors.New("replication: DatabaseURL is required")
	}
	if cfg.Publication == "" {
		cfg.Publication = DefaultPublication
	}
	if cfg.Slot == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return cfg, fmt.Errorf("replication: slot name: %w", err)
		}
		cfg.Slot = SlotPrefix + hex.EncodeToString(b[:])
	}
	if !namePattern.MatchString(cfg.Publication) {
		return cfg, fmt.Errorf("replication: publication name %q must match %s", cfg.Publication, namePattern)
	}
	if !namePattern.MatchString(cfg.Slot) {
		return cfg, fmt.Errorf("replication: slot name %q must match %s", cfg.Slot, namePattern)
	}
	if cfg.StandbyInterval <= 0 {
		cfg.StandbyInterval = defaultStandbyInterval
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = defaultMinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = defaultMaxBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}
