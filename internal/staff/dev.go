package staff

// TestMember is a fictional staff member, for the development IdP and the demo data.
type TestMember struct {
	Key          string // stable id
	Municipality string // the municipality's slug
	EmployeeID   string
	Name         string
	Email        string
	Unit         string
	Groups       []string
	Roles        []string
	Restricted   bool
	Description  string // Swedish text for the picker
}

// TestStaff are the staff the development IdP offers.
var TestStaff = []TestMember{
	{Key: "caseworker-alingsas", Municipality: "alingsas", EmployeeID: "ali-1001", Name: "Anna Handläggare",
		Email: "anna.handlaggare@alingsas.example", Unit: "Samhällsbyggnad", Groups: []string{"ali-handlaggare"},
		Roles: []string{Caseworker}, Description: "Handläggare i Alingsås kommun"},
	{Key: "caseworker-motala", Municipality: "motala", EmployeeID: "mot-2001", Name: "Mikael Mattsson",
		Email: "mikael.mattsson@motala.example", Unit: "Miljö och bygg", Groups: []string{"mot-handlaggare"},
		Roles: []string{Caseworker}, Description: "Handläggare i Motala kommun"},
	{Key: "restricted-alingsas", Municipality: "alingsas", EmployeeID: "ali-1002", Name: "Rebecka Ring",
		Email: "rebecka.ring@alingsas.example", Unit: "Socialtjänst", Groups: []string{"ali-handlaggare"},
		Roles: []string{Caseworker}, Restricted: true, Description: "Handläggare som bara ser sina egna ärenden, Alingsås"},
	{Key: "eservice-admin-alingsas", Municipality: "alingsas", EmployeeID: "ali-1003", Name: "Erik Förvaltare",
		Email: "erik.forvaltare@alingsas.example", Unit: "Digitalisering", Groups: []string{"ali-etjanst"},
		Roles: []string{EServiceAdmin}, Description: "E-tjänsteförvaltare i Alingsås kommun"},
	{Key: "municipality-admin-alingsas", Municipality: "alingsas", EmployeeID: "ali-1004", Name: "Maria Admin",
		Email: "maria.admin@alingsas.example", Unit: "Kommunledning", Groups: []string{"ali-admin"},
		Roles: []string{MunicipalityAdmin}, Description: "Administratör för Alingsås kommun"},
	{Key: "registrar-alingsas", Municipality: "alingsas", EmployeeID: "ali-1005", Name: "Ruth Registrator",
		Email: "ruth.registrator@alingsas.example", Unit: "Kansliet", Groups: []string{"ali-registratur"},
		Roles: []string{Registrar}, Description: "Registrator i Alingsås kommun: begäranden om allmänna handlingar"},
	{Key: "registrar2-alingsas", Municipality: "alingsas", EmployeeID: "ali-1006", Name: "Rolf Registrator",
		Email: "rolf.registrator@alingsas.example", Unit: "Kansliet", Groups: []string{"ali-registratur"},
		Roles: []string{Registrar}, Description: "Andra registrator i Alingsås kommun, för godkännanden"},
}

// FindTestMember returns the test staff member with the key.
func FindTestMember(key string) (TestMember, bool) {
	for _, m := range TestStaff {
		if m.Key == key {
			return m, true
		}
	}
	return TestMember{}, false
}
