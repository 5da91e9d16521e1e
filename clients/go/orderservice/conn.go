// Package orderservice is the Go client of OrderService (protos/orderservice/v1): a
// bearer-token connection, decoded error details, a retry helper that keeps a request's
// request_id, and a resumable subscriber for NotificationService/Subscribe.
//
// The generated messages and stubs are in orderservice/clients/go/gen/orderservice/v1.
package orderservice

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials"
)

// Conn is one gRPC connection to OrderService with the three service clients. Every call
// made through it carries the bearer token given to Dial.
type Conn struct {
	// ClientConn is the underlying connection, for other services (health, reflection).
	ClientConn    *grpc.ClientConn
	Orders        pb.OrderServiceClient
	Refunds       pb.RefundServiceClient
	Notifications pb.NotificationServiceClient
}

// MaxResponseBytes is the largest response Dial's connection accepts (as the C# client).
const MaxResponseBytes = 64 << 20

// Dial connects to target, which is "http://host:port" (h2c, no TLS), "https://host:port"
// (TLS with the system's roots) or a bare "host:port" (no TLS). Every call carries
// "authorization: Bearer <token>" (none when token is empty). Dialing does not wait for
// the server: a server that is down makes calls fail with UNAVAILABLE until it is up.
// opts are added after the defaults (so they may override them).
func Dial(ctx context.Context, target, token string, opts ...grpc.DialOption) (*Conn, error) {
	address, secure, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	dialOpts := []grpc.DialOption{
		// Reconnect soon after the server comes back (a restart takes seconds), rather than
		// grpc's default of up to two minutes between attempts.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff: backoff.Config{
				BaseDelay:  100 * time.Millisecond,
				Multiplier: 1.6,
				Jitter:     0.2,
				MaxDelay:   5 * time.Second,
			},
			MinConnectTimeout: 5 * time.Second,
		}),
		// A large cancellation feed's answer exceeds gRPC's default of 4 MB.
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxResponseBytes)),
	}
	if secure {
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{})))
	} else {
		dialOpts = append(dialOpts, grpc.WithInsecure())
	}
	if token != "" {
		dialOpts = append(dialOpts, grpc.WithPerRPCCredentials(BearerToken{Token: token, Secure: secure}))
	}
	dialOpts = append(dialOpts, opts...)
	cc, err := grpc.DialContext(ctx, address, dialOpts...)
	if err != nil {
		return nil, err
	}
	return &Conn{
		ClientConn:    cc,
		Orders:        pb.NewOrderServiceClient(cc),
		Refunds:       pb.NewRefundServiceClient(cc),
		Notifications: pb.NewNotificationServiceClient(cc),
	}, nil
}

// Close closes the connection; calls in flight fail with CANCELED.
func (c *Conn) Close() error { return c.ClientConn.Close() }

func parseTarget(target string) (address string, secure bool, err error) {
	switch {
	case strings.HasPrefix(target, "http://"):
		address = strings.TrimPrefix(target, "http://")
	case strings.HasPrefix(target, "https://"):
		address, secure = strings.TrimPrefix(target, "https://"), true
	case strings.Contains(target, "://"):
		return "", false, errors.New("orderservice: target must be http://host:port, https://host:port or host:port: " + target)
	default:
		address = target
	}
	address = strings.TrimSuffix(address, "/")
	if address == "" {
		return "", false, errors.New("orderservice: empty target")
	}
	return address, secure, nil
}

// BearerToken is the per-call credential "authorization: Bearer <Token>". Secure says
// whether it may only travel over TLS; the test server and a local server are h2c.
type BearerToken struct {
	Token  string
	Secure bool
}

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (b BearerToken) GetRequestMetadata(ctx context.Context, uri ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.Token}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials.
func (b BearerToken) RequireTransportSecurity() bool { return b.Secure }
