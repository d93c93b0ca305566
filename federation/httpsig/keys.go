package httpsig

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// KeyBits is the size of every RSA key the node makes.
const KeyBits = 2048

// GenerateKeyPEM makes a new RSA-2048 key pair and returns the private key as
// PKCS#8 PEM and the public key as PKIX PEM, the form Mastodon publishes.
func GenerateKeyPEM() (private, public string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return "", "", fmt.Errorf("httpsig: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("httpsig: encode private key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", fmt.Errorf("httpsig: encode public key: %w", err)
	}
	private = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	public = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	return private, public, nil
}

// ParsePrivateKeyPEM reads an RSA private key in PKCS#8 or PKCS#1 PEM.
func ParsePrivateKeyPEM(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("httpsig: private key: no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("httpsig: private key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("httpsig: private key: %T is not RSA", k)
	}
	return rk, nil
}

// MaxKeyBits is the largest RSA key the node takes from a peer. Checking a
// signature costs about the square of the key's size (measured: 0.03 ms at
// 2048 bits, 8 ms at 8192, 0.4 s at 65536, 2.7 s at 262144, a 44 KB PEM),
// so a larger key would let one actor make each request it signs, valid or
// not, cost seconds. Mastodon and GoToSocial make 2048-bit keys.
const MaxKeyBits = 8192

// ParsePublicKeyPEM reads a public key in PKIX or PKCS#1 PEM, as actors
// publish it in publicKeyPem. It returns an error for a malformed key and
// for an RSA key larger than MaxKeyBits.
func ParsePublicKeyPEM(s string) (any, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("httpsig: public key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		if k, err = x509.ParsePKCS1PublicKey(block.Bytes); err != nil {
			return nil, fmt.Errorf("httpsig: public key: %w", err)
		}
	}
	if rk, ok := k.(*rsa.PublicKey); ok && rk.N.BitLen() > MaxKeyBits {
		return nil, fmt.Errorf("httpsig: public key: %d bits, more than the %d allowed", rk.N.BitLen(), MaxKeyBits)
	}
	return k, nil
}
