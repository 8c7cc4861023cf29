package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/engine/server"
)

func newConsoleCmd() *cobra.Command {
	o := &cliOptions{}
	var address, assets string
	var port int
	var noBrowser bool
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Serve the console locally against the project's server, and open it",
		Long: `Serve the GraphiQL console on this machine for the configured server: the
page is local, and its requests go through this command to the endpoint with
the admin secret added, so the browser holds no secret and needs no CORS.`,
		Example: `  trellis console
  trellis console --port 9695 --no-browser --endpoint http://localhost:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := o.project()
			if err != nil {
				return err
			}
			endpoint, err := url.Parse(p.Config.Endpoint)
			if err != nil || endpoint.Host == "" {
				return fmt.Errorf("endpoint %q is not a URL", p.Config.Endpoint)
			}
			h := server.ConsoleProxy(server.ConsoleProxyConfig{Endpoint: endpoint, AdminSecret: p.Config.AdminSecret, AssetsDir: assets})
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return server.ListenAndServe(ctx, net.JoinHostPort(address, strconv.Itoa(port)), h, func(a net.Addr) {
				page := fmt.Sprintf("http://%s/console", a)
				progress(cmd, "console for %s: %s (Ctrl-C stops it)", endpoint, page)
				if !noBrowser {
					openBrowser(cmd, page)
				}
			})
		},
	}
	o.bind(cmd.Flags())
	cmd.Flags().StringVar(&address, "address", "localhost", "the address to serve the console on")
	cmd.Flags().IntVar(&port, "console-port", 9695, "the port to serve the console on (0: any free port)")
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "do not open a browser")
	cmd.Flags().StringVar(&assets, "console-assets-dir", "", "serve GraphiQL's files from this folder instead of a CDN (see make console-assets)")
	return cmd
}

// openBrowser asks the desktop to open page; without one it only says so.
func openBrowser(cmd *cobra.Command, page string) {
	opener := map[string]string{"darwin": "open", "windows": "rundll32"}[runtime.GOOS]
	args := []string{page}
	if opener == "" {
		opener = "xdg-open"
	}
	if runtime.GOOS == "windows" {
		args = []string{"url.dll,FileProtocolHandler", page}
	}
	if _, err := exec.LookPath(opener); err != nil {
		progress(cmd, "no browser to open here (%s not found): open %s yourself", opener, page)
		return
	}
	c := exec.Command(opener, args...)
	if err := c.Start(); err != nil {
		progress(cmd, "could not open a browser: %v", err)
		return
	}
	go func() { _ = c.Wait() }() // the opener exits at once; reap it

}
