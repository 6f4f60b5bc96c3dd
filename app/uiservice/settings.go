package uiservice

import (
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Settings are the user's choices, kept in settings.json in the data
// directory.
type Settings struct {
	Language string `json:"language"` // ja (default) | en
	TSA      string `json:"tsa"`      // RFC 3161 server for level B-T
}

const settingsFile = "settings.json"

func defaultSettings() Settings { return Settings{Language: string(i18n.JA)} }

func loadSettings(dir string) (Settings, error) {
	set := defaultSettings()
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if errors.Is(err, os.ErrNotExist) {
		return set, nil
	}
	if err != nil {
		return set, err
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return defaultSettings(), err
	}
	set.Language = string(i18n.Parse(set.Language))
	return set, nil
}

// Settings returns the current settings.
func (s *Service) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.set
}

// SaveSettings checks and stores new settings (atomically: the old file
// stays whole until the new one is complete) and announces them.
func (s *Service) SaveSettings(set Settings) (Settings, error) {
	if set.Language != string(i18n.JA) && set.Language != string(i18n.EN) {
		return Settings{}, s.userErr("bad_request", "api.bad_request")
	}
	if set.TSA != "" {
		u, err := url.Parse(set.TSA)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Settings{}, &Error{Code: "tsa_url", Message: i18n.T(i18n.Lang(set.Language), "api.tsa_url")}
		}
	}
	b, _ := json.MarshalIndent(set, "", "  ")
	err := signing.WriteAtomic(filepath.Join(s.cfg.DataDir, settingsFile), true, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return Settings{}, s.fail("save settings", err)
	}
	s.mu.Lock()
	s.set = set
	s.mu.Unlock()
	s.emit(EventSettings, set)
	return set, nil
}

// PINSpec is one PIN's format and try limit as the screens check them
// before anything is sent (cardio/pin is the one policy), with its rule in
// words.
type PINSpec struct {
	MinLen   int    `json:"min_len"`
	MaxLen   int    `json:"max_len"`
	Digits   bool   `json:"digits"`
	MaxTries int    `json:"max_tries"`
	Rule     string `json:"rule"`
}

// PINPolicy returns every PIN's spec, keyed by its ID.
func (s *Service) PINPolicy() map[string]PINSpec {
	out := map[string]PINSpec{}
	for _, sp := range pin.Specs() {
		out[string(sp.ID)] = PINSpec{MinLen: sp.MinLen, MaxLen: sp.MaxLen, Digits: sp.Digits, MaxTries: sp.MaxTries, Rule: i18n.PINRule(s.lang(), string(sp.ID))}
	}
	return out
}

// Texts returns the backend's sentences the UI shows as they are (the
// disclosure notice, PIN names and rules), in the UI language.
func (s *Service) Texts() map[string]string {
	L := s.lang()
	out := map[string]string{}
	for _, k := range []string{"sign.disclosure", "pin.sign", "pin.auth", "pin.text", "pin.juki", "status.testcard"} {
		out[k] = i18n.T(L, k)
	}
	for _, id := range []string{"sign", "auth", "text", "juki"} {
		out["pin.rule."+id] = i18n.PINRule(L, id)
	}
	// What the verify screen says about each change after a signature.
	for _, k := range i18n.Keys("verify.change.") {
		out[k] = i18n.T(L, k)
	}
	return out
}
