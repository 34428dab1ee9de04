package jwt

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ActivationLayout names a key file by the UTC time from which it signs:
// 20261130T143000Z.pem. Names sort in time order; a name in any other form
// is a key active since always.
const ActivationLayout = "20060102T150405Z"

// loadedKey is one private key read from the key folder.
type loadedKey struct {
	file       string // base name, e.g. 20261130T143000Z.pem
	kid        string // RFC 7638 thumbprint of the public key
	key        crypto.Signer
	activation time.Time
}

// badFile is a key file that could not be used; err names its path.
type badFile struct {
	file string
	err  error
}

// activationOf returns the activation time a file name states, or the zero
// time (active since always) for any other name.
func activationOf(file string) time.Time {
	stem := strings.TrimSuffix(file, ".pem")
	at, err := time.Parse(ActivationLayout, stem)
	if err != nil || at.Format(ActivationLayout) != stem {
		return time.Time{}
	}
	return at
}

// legacyKID is the kid a file had when kids were file names, or "" when the
// name could not have been one.
func legacyKID(file string) string {
	stem := strings.TrimSuffix(file, ".pem")
	if !validKID(stem) {
		return ""
	}
	return stem
}

// validKID keeps names used as kids to a safe alphabet.
func validKID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	})
}

// scanKeyDir reads every *.pem in dir (hidden files, such as a key being
// written, are skipped). Files that fail are listed in bad, with their
// path; err is only for the folder itself. A missing folder has no keys.
func scanKeyDir(dir, alg string) (keys []loadedKey, bad []badFile, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("jwt: reading key directory: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".pem") || strings.HasPrefix(name, ".") {
			continue
		}
		k, err := readKeyFile(filepath.Join(dir, name), alg)
		if err != nil {
			bad = append(bad, badFile{file: name, err: err})
			continue
		}
		keys = append(keys, k)
	}
	return keys, bad, nil
}

// loadKeyDir is the start-up read: any bad file is an error naming it. With
// no keys it generates one, active at once, when allowed.
func loadKeyDir(dir, alg string, generate bool, now time.Time) ([]loadedKey, error) {
	if dir == "" {
		return nil, fmt.Errorf("jwt: %s needs a key directory", alg)
	}
	for attempt := 0; ; attempt++ {
		keys, bad, err := scanKeyDir(dir, alg)
		switch {
		case err != nil:
			return nil, err
		case len(bad) > 0:
			return nil, bad[0].err
		case len(keys) > 0:
			return keys, nil
		case !generate || attempt > 0:
			return nil, fmt.Errorf("jwt: no *.pem private keys in %s", dir)
		}
		if _, err := GenerateKeyFile(dir, alg, now); err != nil {
			return nil, err
		}
	}
}

func readKeyFile(path, alg string) (loadedKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return loadedKey{}, fmt.Errorf("jwt: %w", err)
	}
	key, err := parsePrivateKey(data)
	if err != nil {
		return loadedKey{}, fmt.Errorf("jwt: key file %s: %w", path, err)
	}
	if err := checkKey(key, alg); err != nil {
		return loadedKey{}, fmt.Errorf("jwt: key file %s: %w", path, err)
	}
	kid, err := Thumbprint(key.Public())
	if err != nil {
		return loadedKey{}, fmt.Errorf("jwt: key file %s: %w", path, err)
	}
	file := filepath.Base(path)
	return loadedKey{file: file, kid: kid, key: key, activation: activationOf(file)}, nil
}
