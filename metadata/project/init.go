package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// InitOptions are the settings of a new project.
type InitOptions struct {
	Endpoint    string
	AdminSecret string
	// Metadata is the new metadata directory's files (see
	// metadata.RenderDir), relative to it.
	Metadata map[string][]byte
}

// Init creates a project in dir (created when missing): config.yaml, the
// metadata directory, and migrations/default and seeds/default. It refuses
// a folder that already holds a config.yaml, and writes no file that
// exists.
func Init(dir string, opts InitOptions) (*Project, []string, error) {
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
		return nil, nil, fmt.Errorf("%s already holds a project (%s): nothing was changed", dir, ConfigFile)
	}
	cfg := Config{Version: 3, Endpoint: opts.Endpoint, AdminSecret: opts.AdminSecret,
		Actions: Actions{Kind: "synchronous", HandlerWebhookBaseURL: "http://localhost:3000"}}
	cfg.fillDefaults()
	text, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{ConfigFile: text}
	for rel, body := range opts.Metadata {
		files[filepath.Join(cfg.MetadataDirectory, filepath.FromSlash(rel))] = body
	}
	for _, d := range []string{cfg.MigrationsDirectory, cfg.SeedsDirectory} {
		files[filepath.Join(d, DefaultDatabase, ".gitkeep")] = nil
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return nil, nil, fmt.Errorf("%s exists already: nothing was changed", filepath.Join(dir, n))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return nil, nil, err
		}
	}
	return &Project{Dir: dir, Config: cfg}, names, nil
}
