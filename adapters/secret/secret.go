package secret

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/authd-dev/authd/domain"
)

// WeakError says the secret in variable Name is too short. It matches
// domain.ErrWeakSecret with errors.Is; the message never holds the value.
type WeakError struct{ Name string }

func (e *WeakError) Error() string {
	return fmt.Sprintf("%s must be at least %d bytes", e.Name, domain.MinSecretBytes)
}

func (e *WeakError) Unwrap() error { return domain.ErrWeakSecret }

// Resolve returns the secret configured in variable name (its value given
// as value, used as raw bytes). An empty value is an error naming the
// variable unless allowGenerate, in which case the key stored in dataDir is
// reused or, on first start, 32 random bytes are generated and stored there
// (file 0600, folder 0700), with a warning on log (nil: no logging).
func Resolve(value, name, dataDir string, allowGenerate bool, log *slog.Logger) ([]byte, error) {
	if value != "" {
		if len(value) < domain.MinSecretBytes {
			return nil, &WeakError{Name: name}
		}
		return []byte(value), nil
	}
	if !allowGenerate {
		return nil, fmt.Errorf("%s is required with this database (at least %d bytes)", name, domain.MinSecretBytes)
	}
	path := filepath.Join(dataDir, FileName(name))
	key, created, err := loadOrCreate(path)
	if err != nil {
		return nil, fmt.Errorf("%s is unset and the generated key failed: %w", name, err)
	}
	if log != nil {
		msg := "using a generated secret kept in the data folder; set the variable in production"
		if created {
			msg = "generated a random secret and stored it in the data folder; set the variable in production"
		}
		log.Warn(msg, "variable", name, "path", path)
	}
	return key, nil
}

// FileName is the file under the data folder that holds the generated key
// for variable name: "AUTHD_JWT_SECRET" -> "jwt_secret.key".
func FileName(name string) string {
	base := strings.ToLower(strings.TrimPrefix(name, "AUTHD_"))
	base = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, base)
	return base + ".key"
}

// generatedBytes is the size of a generated key.
const generatedBytes = 32

var enc = base64.RawURLEncoding

func loadOrCreate(path string) (key []byte, created bool, err error) {
	key, err = load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	key = make([]byte, generatedBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	// O_EXCL: if another process won the race to create it, use theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		key, err = load(path)
		return key, false, err
	}
	if err != nil {
		return nil, false, err
	}
	_, err = f.Write(append(enc.AppendEncode(nil, key), '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, false, err
	}
	return key, true, nil
}

func load(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := enc.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || len(key) < domain.MinSecretBytes {
		return nil, fmt.Errorf("%s: not a base64url key of at least %d bytes", path, domain.MinSecretBytes)
	}
	return key, nil
}

// Optional returns the secret in variable name, or nil when it is empty;
// a value shorter than domain.MinSecretBytes is a *WeakError naming it.
func Optional(value, name string) ([]byte, error) {
	if value == "" {
		return nil, nil
	}
	if len(value) < domain.MinSecretBytes {
		return nil, &WeakError{Name: name}
	}
	return []byte(value), nil
}
