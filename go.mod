module github.com/authd-dev/authd

go 1.26
