package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// verifyKey is one key a token may be signed with.
type verifyKey struct {
	kid string
	// alg, when the JWK names one, is the only algorithm it verifies.
	alg string
	// key is []byte (HMAC), *rsa.PublicKey, *ecdsa.PublicKey or
	// ed25519.PublicKey.
	key any
}

// accepts reports whether the key can verify a token signed with alg. The
// key's type decides, so that a token cannot pick an algorithm the key was
// not meant for (an RSA public key used as an HMAC secret, say).
func (k verifyKey) accepts(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	switch key := k.key.(type) {
	case []byte:
		return alg == "HS256" || alg == "HS384" || alg == "HS512"
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		switch key.Curve {
		case elliptic.P256():
			return alg == "ES256"
		case elliptic.P384():
			return alg == "ES384"
		case elliptic.P521():
			return alg == "ES512"
		}
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

// hmacBits is the minimum key size of each HMAC algorithm, as Hasura
// checks it.
var hmacBits = map[string]int{"HS256": 256, "HS384": 384, "HS512": 512}

// parseStaticKey reads the "key" of a JWT secret of the given type: the
// shared secret for HS*, a PEM public key or certificate otherwise.
func parseStaticKey(typ, raw string) (verifyKey, error) {
	if bits, ok := hmacBits[typ]; ok {
		if len(raw)*8 < bits {
			return verifyKey{}, fmt.Errorf("Invalid JWK: Key size too small; should be atleast %d bits", bits)
		}
		return verifyKey{key: []byte(raw)}, nil
	}
	switch typ {
	case "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "Ed25519":
	default:
		return verifyKey{}, fmt.Errorf("Invalid JWK: Key type: %s is not supported", typ)
	}
	pub, err := parsePEMPublicKey(raw)
	if err != nil {
		return verifyKey{}, fmt.Errorf("Invalid JWK: %w", err)
	}
	k := verifyKey{key: pub}
	want := map[string]string{"RS": "RSA", "ES": "EC", "Ed": "Ed25519"}[typ[:2]]
	if !k.accepts(typ) && !(typ == "Ed25519" && k.accepts("EdDSA")) {
		return verifyKey{}, fmt.Errorf("Invalid JWK: the key is not an %s public key of type %s", want, typ)
	}
	return k, nil
}

// parsePEMPublicKey reads a PKIX public key, a PKCS#1 RSA public key or an
// X.509 certificate.
func parsePEMPublicKey(raw string) (any, error) {
	block, _ := pem.Decode([]byte(raw))
	if block == nil {
		return nil, errors.New("could not decode PEM")
	}
	switch block.Type {
	case "CERTIFICATE":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		return cert.PublicKey, nil
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	}
	return x509.ParsePKIXPublicKey(block.Bytes)
}

// jwk is one key of a JWKS document (RFC 7517).
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	K   string `json:"k"`
}

// parseJWKS reads a JWKS document. Keys for encryption and keys of unknown
// types are left out; a malformed key is an error.
func parseJWKS(body []byte) ([]verifyKey, error) {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	var keys []verifyKey
	for i, k := range doc.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		if pub != nil {
			keys = append(keys, verifyKey{kid: k.Kid, alg: k.Alg, key: pub})
		}
	}
	return keys, nil
}

// publicKey decodes the key material; nil for a type it does not know.
func (k jwk) publicKey() (any, error) {
	b64 := func(s string) (*big.Int, error) {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
		return new(big.Int).SetBytes(b), err
	}
	switch k.Kty {
	case "RSA":
		n, err := b64(k.N)
		if err != nil {
			return nil, err
		}
		e, err := b64(k.E)
		if err != nil || !e.IsInt64() {
			return nil, errors.New("invalid RSA exponent")
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case "EC":
		curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[k.Crv]
		if curve == nil {
			return nil, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		x, errX := b64(k.X)
		y, errY := b64(k.Y)
		if errX != nil || errY != nil {
			return nil, errors.New("invalid EC coordinates")
		}
		return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}, nil
	case "OKP":
		if k.Crv != "Ed25519" {
			return nil, nil
		}
		x, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.X, "="))
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("invalid Ed25519 key")
		}
		return ed25519.PublicKey(x), nil
	case "oct":
		secret, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.K, "="))
		if err != nil {
			return nil, err
		}
		return secret, nil
	}
	return nil, nil
}
