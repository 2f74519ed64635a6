package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// SMSConfig configures the SMS gateway client.
type SMSConfig struct {
	URL     string        // SMS_GATEWAY_URL; https (http only to this machine); empty: no SMS
	Token   string        // SMS_GATEWAY_TOKEN, sent as a bearer token
	Sender  string        // SMS_SENDER: the sender name shown on the phone, e.g. "Alingsas"
	Timeout time.Duration // for one request; default 10 seconds
}

// smsMaxResponse is as much of the gateway's answer as the client reads.
const smsMaxResponse = 64 << 10

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// smsClient sends text messages through an HTTP gateway:
//
//	POST {URL}
//	Authorization: Bearer {Token}
//	Content-Type: application/json
//
//	{"to": "+46701234567", "message": "...", "from": "{Sender}"}
//
// Any 2xx answer means accepted; anything else is an error, and the notice is tried again later.
// The client never logs, and its errors contain neither the number nor the text.
type smsClient struct {
	url    string
	token  string
	sender string
	http   *http.Client
}

func newSMSClient(cfg SMSConfig) (*smsClient, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, errors.New("notify: SMS gateway URL must be an https address")
	}
	if cfg.Token == "" {
		return nil, errors.New("notify: SMS gateway token is required")
	}
	if cfg.Sender == "" {
		return nil, errors.New("notify: SMS sender name is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	return &smsClient{url: u.String(), token: cfg.Token, sender: cfg.Sender, http: &http.Client{Timeout: cfg.Timeout}}, nil
}

type smsRequest struct {
	To      string `json:"to"`
	Message string `json:"message"`
	From    string `json:"from"`
}

// SendSMS posts one message to the gateway.
func (c *smsClient) SendSMS(ctx context.Context, to, body string) error {
	if !e164.MatchString(to) {
		return errors.New("notify: SMS recipient is not an E.164 number")
	}
	payload, err := json.Marshal(smsRequest{To: to, Message: body, From: c.sender})
	if err != nil {
		return fmt.Errorf("notify: encode SMS: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("notify: SMS request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("notify: SMS gateway: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, smsMaxResponse)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("notify: SMS gateway answered %s", resp.Status)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
