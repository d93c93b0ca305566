package convert

import "testing"

func TestHashtagName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"adult social care", "AdultSocialCare"},
		{"children's services", "ChildrensServices"},
		{"children’s services", "ChildrensServices"},
		{"youth-services", "YouthServices"},
		{"health", "Health"},
		{"arts & culture 2024", "ArtsCulture2024"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := HashtagName(tt.in); got != tt.want {
			t.Errorf("HashtagName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
