// probe: the cluster tier's test image. One static binary (Go, no cgo, so name lookups use Go's own
// resolver on the pod's /etc/resolv.conf and need no libc), three commands:
//
//	probe hello         prints who and where it runs (uid, hostname) and exits 0
//	probe serve PORT    answers every HTTP request with "probe <hostname>"
//	probe get URL SECS  GETs URL until it answers 200 or SECS pass; prints the body; exit 1 on failure
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: probe hello | serve PORT | get URL SECONDS")
	}
	host, _ := os.Hostname()
	switch os.Args[1] {
	case "hello":
		fmt.Printf("probe hello from uid %d on %s\n", os.Getuid(), host)
	case "serve":
		if len(os.Args) != 3 {
			fail("usage: probe serve PORT")
		}
		http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, "probe %s\n", host) })
		fail(http.ListenAndServe(":"+os.Args[2], nil).Error())
	case "get":
		if len(os.Args) != 4 {
			fail("usage: probe get URL SECONDS")
		}
		seconds, err := strconv.Atoi(os.Args[3])
		if err != nil {
			fail("SECONDS: " + err.Error())
		}
		get(os.Args[2], time.Duration(seconds)*time.Second)
	default:
		fail("unknown command " + os.Args[1])
	}
}

func get(url string, patience time.Duration) {
	client := http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(patience)
	for {
		res, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				fmt.Printf("GET %s: %s", url, body)
				return
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			fail(fmt.Sprintf("GET %s: %v", url, err))
		}
		fmt.Fprintf(os.Stderr, "GET %s: %v (retrying)\n", url, err)
		time.Sleep(time.Second)
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "probe: "+message)
	os.Exit(1)
}
