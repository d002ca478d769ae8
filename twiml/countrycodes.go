package twiml

// countryCodes are the country calling codes that ITU-T assigns and that
// are in use: the codes for geographic areas, for global services
// (international freephone 800, shared cost 808, premium rate 979,
// Inmarsat 870, UPT 878, disaster relief 888) and for international
// networks (881, 882, 883), as listed in "List of ITU-T Recommendation
// E.164 assigned country codes", the complement to Recommendation E.164
// that ITU publishes with its Operational Bulletin
// (https://www.itu.int/pub/T-SP-E.164D). Spare codes (such as 693 to 699,
// the example of Twilio's error 13224) and reserved ones (such as 379 for
// the Vatican, which dials through +39, and the former +671 of Guam and
// +684 of American Samoa, now area codes of +1) are left out.
//
// Country codes form a prefix code: no code is the start of another, so
// a number has at most one country code, whatever its length.
var countryCodes = setOf(
	// Zone 1: the North American Numbering Plan.
	"1",
	// Zone 2: Africa and the Atlantic.
	"20", "211", "212", "213", "216", "218",
	"220", "221", "222", "223", "224", "225", "226", "227", "228", "229",
	"230", "231", "232", "233", "234", "235", "236", "237", "238", "239",
	"240", "241", "242", "243", "244", "245", "246", "247", "248", "249",
	"250", "251", "252", "253", "254", "255", "256", "257", "258",
	"260", "261", "262", "263", "264", "265", "266", "267", "268", "269",
	"27", "290", "291", "297", "298", "299",
	// Zones 3 and 4: Europe.
	"30", "31", "32", "33", "34",
	"350", "351", "352", "353", "354", "355", "356", "357", "358", "359",
	"36", "370", "371", "372", "373", "374", "375", "376", "377", "378",
	"380", "381", "382", "383", "385", "386", "387", "389", "39",
	"40", "41", "420", "421", "423", "43", "44", "45", "46", "47", "48", "49",
	// Zone 5: South and Central America.
	"500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
	"51", "52", "53", "54", "55", "56", "57", "58",
	"590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
	// Zone 6: South-east Asia and Oceania.
	"60", "61", "62", "63", "64", "65", "66",
	"670", "672", "673", "674", "675", "676", "677", "678", "679",
	"680", "681", "682", "683", "685", "686", "687", "688", "689",
	"690", "691", "692",
	// Zone 7: Russia and Kazakhstan.
	"7",
	// Zone 8: East Asia and global services.
	"800", "808", "81", "82", "84", "850", "852", "853", "855", "856", "86",
	"870", "878", "880", "881", "882", "883", "886", "888",
	// Zone 9: West, South and Central Asia.
	"90", "91", "92", "93", "94", "95",
	"960", "961", "962", "963", "964", "965", "966", "967", "968",
	"970", "971", "972", "973", "974", "975", "976", "977", "979", "98",
	"992", "993", "994", "995", "996", "998",
)

func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// countryCode returns the country calling code that the E.164 digits d
// (without "+") start with, or "" if they start with none in use.
func countryCode(d string) string {
	for n := 1; n <= 3 && n <= len(d); n++ {
		if countryCodes[d[:n]] {
			return d[:n]
		}
	}
	return ""
}
