package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// KeyPair is an RSA key and its certificate, as SAML signs with them.
type KeyPair struct {
	Key         *rsa.PrivateKey
	Certificate *x509.Certificate
}

// LoadKeyPair reads a PEM key and certificate. With create set, missing files are made: a
// 3072-bit key and a self-signed certificate valid for ten years (development only).
func LoadKeyPair(keyFile, certFile, commonName string, create bool) (KeyPair, error) {
	_, err := os.Stat(keyFile)
	if errors.Is(err, fs.ErrNotExist) && create {
		kp, err := NewKeyPair(commonName)
		if err != nil {
			return KeyPair{}, err
		}
		return kp, kp.write(keyFile, certFile)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return KeyPair{}, fmt.Errorf("auth: load key pair %s, %s: %w", keyFile, certFile, err)
	}
	key, ok := pair.PrivateKey.(*rsa.PrivateKey)
	if !ok {
		return KeyPair{}, fmt.Errorf("auth: %s is not an RSA key", keyFile)
	}
	if key.N.BitLen() < 2048 {
		return KeyPair{}, fmt.Errorf("auth: %s is a %d-bit key; at least 2048 bits are required", keyFile, key.N.BitLen())
	}
	return KeyPair{Key: key, Certificate: pair.Leaf}, nil
}

// NewKeyPair makes a new 2048-bit key and a self-signed certificate, for development.
func NewKeyPair(commonName string) (KeyPair, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return KeyPair{}, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return KeyPair{}, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return KeyPair{}, err
	}
	return KeyPair{Key: key, Certificate: cert}, nil
}

func (kp KeyPair) write(keyFile, certFile string) error {
	if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(kp.Key)})
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(certFile), 0o700); err != nil {
		return err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: kp.Certificate.Raw})
	return os.WriteFile(certFile, certPEM, 0o644)
}
