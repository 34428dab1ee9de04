package examples_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/memstore"
)

// In-memory storage for a team's tests: no database file, no migration,
// held to the same contract suite as the SQL backends.
func ExampleWithStorage() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	store := memstore.NewStore()
	app, err := authd.Initialize(context.Background(), config(dir, nil), authd.WithStorage(store.Storage()))
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(app.Router)
	defer srv.Close()

	register(srv.URL, "linus@example.com")
	users, err := store.Users().List(context.Background(), "", 10)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(users), users[0].Email())
	// Output: 1 linus@example.com
}
