package httpapi

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"

	"github.com/pquerna/otp"
)

// qrPixels is the side of the QR image: large enough for a phone camera
// at arm's length from a laptop screen, small enough to keep the data URL short.
const qrPixels = 256

// qrDataURL renders an otpauth URL as a QR code in a PNG data URL, so any
// client shows it with a plain <img>, without a QR library of its own (the
// demo page's CSP allows data: images and nothing else from outside). It
// uses the TOTP library's own renderer, so no second QR dependency.
func qrDataURL(otpauthURL string) (string, error) {
	key, err := otp.NewKeyFromURL(otpauthURL)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	img, err := key.Image(qrPixels, qrPixels)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
