package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// checkCase sends the case's request once to the engine and once to the
// floor, and fails unless both answer 200 with data and no errors, and the
// same JSON once compacted (json_build_object puts blanks around colons
// that the engine's envelope has not; nothing else may differ, key order
// and number formatting included). A load run of error answers, or a floor
// that does less work than the engine, would measure nothing useful.
func checkCase(ctx context.Context, eng, floor *server, queriesDir string, c benchCase) error {
	body, err := os.ReadFile(filepath.Join(queriesDir, c.Body))
	if err != nil {
		return err
	}
	want, err := fetchAnswer(ctx, eng.URL(c), body)
	if err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	got, err := fetchAnswer(ctx, floor.URL(c), body)
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	var w, g bytes.Buffer
	if err := json.Compact(&w, want); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	if err := json.Compact(&g, got); err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	if !bytes.Equal(w.Bytes(), g.Bytes()) {
		return fmt.Errorf("the floor answers\n%.1000s\nthe engine\n%.1000s", g.Bytes(), w.Bytes())
	}
	return nil
}

// fetchAnswer posts body to url and returns the answer, or an error unless
// it is a 200 with data and without errors.
func fetchAnswer(ctx context.Context, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var envelope struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &envelope) != nil ||
		envelope.Errors != nil || envelope.Data == nil || string(envelope.Data) == "null" {
		return nil, fmt.Errorf("HTTP %d: %.500s", resp.StatusCode, answer)
	}
	return answer, nil
}
