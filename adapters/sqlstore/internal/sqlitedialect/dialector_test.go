package sqlitedialect_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/authd-dev/authd/adapters/sqlstore/internal/sqlitedialect"
)

type parent struct {
	ID   string `gorm:"primaryKey"`
	Name string
}

type child struct {
	ID       string `gorm:"primaryKey"`
	ParentID string
}

// openTest opens a fresh file with foreign keys on and two tables: parent
// (name unique) and child (parent_id references parent).
func openTest(t *testing.T) *gorm.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := gorm.Open(sqlitedialect.Open(dsn), &gorm.Config{TranslateError: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	for _, stmt := range []string{
		"CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
		"CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents (id))",
	} {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestTranslatesConstraintViolations(t *testing.T) {
	db := openTest(t)
	if err := db.Create(&parent{ID: "p1", Name: "a"}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&parent{ID: "p1", Name: "b"}).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("same primary key: %v, want gorm.ErrDuplicatedKey", err)
	}
	if err := db.Create(&parent{ID: "p2", Name: "a"}).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("same unique name: %v, want gorm.ErrDuplicatedKey", err)
	}
	if err := db.Create(&child{ID: "c1", ParentID: "nobody"}).Error; !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Errorf("missing parent: %v, want gorm.ErrForeignKeyViolated", err)
	}
	if err := db.Exec("SELECT * FROM nowhere").Error; err == nil || errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("missing table: %v, want the driver's own error", err)
	}
}

// FOR UPDATE has no meaning in SQLite (and is a syntax error there): the
// dialect drops it, and the transaction's write lock does its job.
func TestLockingClauseIsDropped(t *testing.T) {
	db := openTest(t)
	db.Create(&parent{ID: "p1", Name: "a"})
	err := db.Transaction(func(tx *gorm.DB) error {
		var p parent
		return tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&p, "id = ?", "p1").Error
	})
	if err != nil {
		t.Fatalf("SELECT with clause.Locking: %v", err)
	}
}

func TestLimitAndOffset(t *testing.T) {
	db := openTest(t)
	for _, p := range []parent{{"p1", "a"}, {"p2", "b"}, {"p3", "c"}} {
		db.Create(&p)
	}
	var ids []string
	if err := db.Model(&parent{}).Order("id").Offset(1).Pluck("id", &ids).Error; err != nil {
		t.Fatalf("OFFSET without LIMIT: %v", err)
	}
	if strings.Join(ids, ",") != "p2,p3" {
		t.Errorf("OFFSET 1: %v, want p2,p3", ids)
	}
	ids = nil
	if err := db.Model(&parent{}).Order("id").Limit(1).Offset(1).Pluck("id", &ids).Error; err != nil || strings.Join(ids, ",") != "p2" {
		t.Errorf("LIMIT 1 OFFSET 1: %v %v, want p2", ids, err)
	}
}

// A failed nested transaction rolls back to its savepoint only.
func TestNestedTransactionRollsBackToSavepoint(t *testing.T) {
	db := openTest(t)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&parent{ID: "kept", Name: "a"}).Error; err != nil {
			return err
		}
		inner := tx.Transaction(func(tx2 *gorm.DB) error {
			tx2.Create(&parent{ID: "dropped", Name: "b"})
			return errors.New("inner fails")
		})
		if inner == nil {
			t.Error("inner transaction: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	db.Model(&parent{}).Order("id").Pluck("id", &ids)
	if strings.Join(ids, ",") != "kept" {
		t.Errorf("rows after the outer commit: %v, want only kept", ids)
	}
}

func TestQuoteTo(t *testing.T) {
	var b strings.Builder
	sqlitedialect.Dialector{}.QuoteTo(&b, "main.odd`name")
	if got, want := b.String(), "`main`.`odd``name`"; got != want {
		t.Errorf("QuoteTo: %s, want %s", got, want)
	}
}

// The engine is a current SQLite: 3.46 or later.
func TestEngineIsCurrent(t *testing.T) {
	db := openTest(t)
	var version string
	if err := db.Raw("SELECT sqlite_version()").Row().Scan(&version); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("sqlite_version() = %q: %v", version, err)
	}
	if major < 3 || (major == 3 && minor < 46) {
		t.Errorf("SQLite %s, want 3.46 or later", version)
	}
}
