// A real go-ntlmssp peer for tests/e2e/e2e_apache.sh: GET URL through ntlmssp.Negotiator over
// net/http, which turns the request's Basic credentials into an NTLM exchange, and print the
// final status as "status=NNN". Exits 0 only on a 200.
//
// Usage: go_client URL 'DOMAIN\user' PASSWORD
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"

	ntlmssp "github.com/Azure/go-ntlmssp"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go_client URL DOMAIN\\user PASSWORD")
		os.Exit(2)
	}
	url, user, password := os.Args[1], os.Args[2], os.Args[3]
	// One connection for the whole exchange: the server keeps the half-built NTLM context on it.
	client := &http.Client{Transport: ntlmssp.Negotiator{RoundTripper: &http.Transport{}}}
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.SetBasicAuth(user, password)
	res, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	fmt.Printf("status=%d\n", res.StatusCode)
	if res.StatusCode != http.StatusOK {
		os.Exit(1)
	}
}
