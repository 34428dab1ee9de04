package jwt

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// GenerateKeyFile creates a new private key for alg in dir (made 0700 if
// missing), named by its activation time in UTC (e.g. 20261130T143000Z.pem,
// see ActivationLayout): from then on it signs, and from the next reload it
// verifies and is published. The file is written under a hidden temporary
// name, synced, then linked into place, so a reload never sees half a key;
// mode 0600. It never overwrites: a file of that name is an error. A
// folder holding a file that alg would not load (another algorithm, say) is
// refused, since the service would refuse to start on it.
func GenerateKeyFile(dir, alg string, activation time.Time) (string, error) {
	key, err := generateKey(alg)
	if err != nil {
		return "", err
	}
	if _, bad, err := scanKeyDir(dir, alg); err != nil {
		return "", err
	} else if len(bad) > 0 {
		return "", fmt.Errorf("jwt: not adding an %s key beside a file the folder cannot load: %w", alg, bad[0].err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("jwt: encoding key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("jwt: creating key directory: %w", err)
	}
	path := filepath.Join(dir, activation.UTC().Format(ActivationLayout)+".pem")
	if err := writeNew(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
		return "", fmt.Errorf("jwt: writing key file: %w", err)
	}
	return path, nil
}

// writeNew writes data to a hidden temporary file beside path, syncs it and
// hard-links it to path: the link fails if path exists, where a rename
// would silently replace another key.
func writeNew(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".key-*.tmp") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists", path)
		}
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes the new directory entry durable; a failure only loses
// durability across a crash, never correctness, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
