package project

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of a project's configuration file.
const ConfigFile = "config.yaml"

// Config is config.yaml, in the Hasura CLI's config v3 format.
type Config struct {
	Version             int     `yaml:"version"`
	Endpoint            string  `yaml:"endpoint"`
	AdminSecret         string  `yaml:"admin_secret,omitempty"`
	MetadataDirectory   string  `yaml:"metadata_directory"`
	MigrationsDirectory string  `yaml:"migrations_directory,omitempty"`
	SeedsDirectory      string  `yaml:"seeds_directory,omitempty"`
	Actions             Actions `yaml:"actions"`
}

// Actions is config.yaml's actions section (codegen settings are kept).
type Actions struct {
	Kind                  string    `yaml:"kind"`
	HandlerWebhookBaseURL string    `yaml:"handler_webhook_baseurl"`
	Codegen               yaml.Node `yaml:"codegen,omitempty"`
}

// Defaults of a new project.
const (
	DefaultEndpoint = "http://localhost:8080"
	DefaultDatabase = "default"
)

// Project is a project folder and its settings.
type Project struct {
	// Dir is the folder holding config.yaml.
	Dir    string
	Config Config
}

// Load reads the project in dir.
func Load(dir string) (*Project, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the project's %s: %w", ConfigFile, err)
	}
	p := &Project{Dir: dir}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p.Config); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch p.Config.Version {
	case 3:
	case 0, 1, 2:
		return nil, fmt.Errorf("%s: config version %d: only version 3 projects are supported (upgrade with `hasura scripts update-project-v3`)", path, p.Config.Version)
	default:
		return nil, fmt.Errorf("%s: unknown config version %d", path, p.Config.Version)
	}
	p.Config.fillDefaults()
	return p, nil
}

func (c *Config) fillDefaults() {
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if c.MetadataDirectory == "" {
		c.MetadataDirectory = "metadata"
	}
	if c.MigrationsDirectory == "" {
		c.MigrationsDirectory = "migrations"
	}
	if c.SeedsDirectory == "" {
		c.SeedsDirectory = "seeds"
	}
}

// Find looks for config.yaml in dir and its parents.
func Find(dir string) (*Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ConfigFile)); err == nil {
			return Load(d)
		}
		if filepath.Dir(d) == d {
			return nil, fmt.Errorf("no %s in %s or a folder above it: run `trellis init`, or pass --project", ConfigFile, abs)
		}
	}
}

// MetadataDir is the metadata directory's path.
func (p *Project) MetadataDir() string { return p.path(p.Config.MetadataDirectory) }

// MigrationsDir is the folder of database's migrations.
func (p *Project) MigrationsDir(database string) string {
	return filepath.Join(p.path(p.Config.MigrationsDirectory), database)
}

// SeedsDir is the folder of database's seeds.
func (p *Project) SeedsDir(database string) string {
	return filepath.Join(p.path(p.Config.SeedsDirectory), database)
}

// Databases lists the databases that have a migrations folder, in name
// order.
func (p *Project) Databases() ([]string, error) {
	entries, err := os.ReadDir(p.path(p.Config.MigrationsDirectory))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

func (p *Project) path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(p.Dir, rel)
}

// ReadEnvFile reads KEY=VALUE lines (blank lines and # comments skipped,
// values optionally quoted). A missing file has no variables.
func ReadEnvFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("%s:%d: expected KEY=VALUE", path, n)
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		out[key] = val
	}
	return out, sc.Err()
}
