package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/web"
)

// staffRoutes are the staff area's pages, for a logged-in staff member of the municipality.
func (s *Server) staffRoutes(r chi.Router) {
	r.Get("/", s.h(s.staffHome))
	r.Get("/arenden", s.h(s.staffQueue))
	r.Get("/arenden/{case}", s.h(s.staffCase))
	r.Get("/arenden/{case}/filer/{file}", s.h(s.staffCaseFile))
	r.Post("/arenden/{case}/tilldela", s.h(s.staffCaseAssign))
	r.Post("/arenden/{case}/flagga", s.h(s.staffCaseFlag))
	r.Post("/arenden/{case}/foretradare", s.h(s.staffCaseRepresentation))
	r.Post("/arenden/{case}/anteckning", s.h(s.staffCaseNote))
	r.Post("/arenden/{case}/meddelande", s.h(s.staffCaseMessage))
	r.Post("/arenden/{case}/status", s.h(s.staffCaseStatus))
	r.Post("/arenden/{case}/komplettering", s.h(s.staffCaseSupplement))
	r.Post("/arenden/{case}/avsluta", s.h(s.staffCaseClose))
	r.Get("/arenden/{case}/underskrifter", s.h(s.staffCaseSignatures))
	r.Get("/bokningar", s.h(s.bookingStaffList))
	r.Get("/bokningar/{resource}", s.h(s.bookingCalendar))
	r.Post("/bokningar/{resource}/avboka", s.h(s.bookingCalendarCancel))
	r.Post("/bokningar/{resource}/blockera", s.h(s.bookingCalendarBlock))
	r.Route("/resurser", func(r chi.Router) {
		r.Use(s.requireRole(staff.EServiceAdmin))
		// bookable resources: texts, times, limits, opening hours, days that differ, handlers
		r.Get("/", s.h(s.bookingAdminList))
		r.Get("/ny", s.h(s.bookingAdminNew))
		r.Post("/ny", s.h(s.bookingAdminSave))
		r.Get("/{resource}", s.h(s.bookingAdminShow))
		r.Post("/{resource}", s.h(s.bookingAdminSave))
		r.Post("/{resource}/dagar", s.h(s.bookingAdminDay))
		r.Post("/{resource}/dagar/{day}/ta-bort", s.h(s.bookingAdminDayRemove))
		r.Post("/{resource}/arkivera", s.h(s.bookingAdminArchive))
	})
	r.Route("/registratur", func(r chi.Router) {
		r.Use(s.requireRole(staff.Registrar))
		// requests for public documents: the queue, search and linking, the secrecy review, the answer
		r.Get("/", s.h(s.registryQueue))
		r.Get("/{request}", s.h(s.registryRequest))
		r.Post("/{request}/koppla", s.h(s.registryLink))
		r.Post("/{request}/koppla-bort", s.h(s.registryUnlink))
		r.Get("/{request}/handlingar/{case}", s.h(s.registryDocument))
		r.Post("/{request}/handlingar/{case}", s.h(s.registryDocumentSave))
		r.Get("/{request}/forhandsgranska.pdf", s.h(s.registryPreview))
		r.Post("/{request}/besluta", s.h(s.registryDecide))
		r.Get("/{request}/svar.pdf", s.h(s.registryAnswerPDF))
		r.Post("/{request}/godkann", s.h(s.registryApprove))
		r.Post("/{request}/aterforvisa", s.h(s.registryReturn))
	})
	r.Route("/arkiv", func(r chi.Router) {
		r.Use(s.requireRole(staff.Caseworker))
		// archive packages of closed cases for the records system
		r.Get("/", s.h(s.archiveList))
		r.Post("/", s.h(s.archiveRequest))
		r.Get("/{export}/paket", s.h(s.archivePackage))
	})
	r.Route("/admin/integrationer", func(r chi.Router) {
		r.Use(s.requireRole(staff.MunicipalityAdmin))
		// webhooks with their delivery logs, and the API clients of case systems
		r.Get("/", s.h(s.integrations))
		r.Post("/webhooks", s.h(s.webhookCreate))
		r.Get("/webhooks/{webhook}", s.h(s.webhookLog))
		r.Post("/webhooks/{webhook}/ta-bort", s.h(s.webhookRemove))
		r.Post("/webhooks/{webhook}/leveranser/{delivery}/skicka-igen", s.h(s.webhookResend))
		r.Post("/api-klienter", s.h(s.apiClientCreate))
		r.Post("/api-klienter/{client}/aterkalla", s.h(s.apiClientRevoke))
	})
	r.Route("/admin/personal", func(r chi.Router) {
		r.Use(s.requireRole(staff.MunicipalityAdmin))
		r.Get("/", s.h(s.staffAdmin))
		r.Post("/", s.h(s.staffAdminAdd))
		r.Post("/{staff}/ta-bort", s.h(s.staffAdminRemove))
		r.Post("/{staff}/etjanster", s.h(s.staffAdminAssign))
	})
	r.Group(func(r chi.Router) {
		r.Use(s.requireRole(staff.MunicipalityAdmin))
		// municipality settings and operating messages
		r.Get("/admin/kommun", s.h(s.municipalitySettings))
		r.Post("/admin/kommun", s.h(s.municipalitySettingsSave))
		r.Post("/admin/kommun/logotyp", s.h(s.municipalityLogoUpload))
		r.Post("/admin/kommun/logotyp/ta-bort", s.h(s.municipalityLogoRemove))
		r.Get("/admin/driftmeddelanden", s.h(s.bulletinAdmin))
		r.Post("/admin/driftmeddelanden", s.h(s.bulletinCreate))
		r.Post("/admin/driftmeddelanden/{message}/avsluta", s.h(s.bulletinEnd))
		// retention settings, deletion records and security events
		r.Get("/admin/gallring", s.h(s.retentionAdmin))
		r.Post("/admin/gallring", s.h(s.retentionAdminSave))
		// requests for public documents: second registrar, grounds of secrecy, the log
		r.Get("/admin/allmanna-handlingar", s.h(s.publicSettings))
		r.Post("/admin/allmanna-handlingar", s.h(s.publicSettingsSave))
	})
	r.Route("/etjanster", func(r chi.Router) {
		r.Use(s.requireRole(staff.EServiceAdmin))
		// e-service list, create, import
		r.Get("/", s.h(s.builderList))
		r.Post("/", s.h(s.builderCreate))
		r.Get("/import", s.h(s.builderImport))
		r.Post("/import", s.h(s.builderImportSave))
		r.Route("/{eservice}", func(r chi.Router) {
			// overview, versions, publish, archive, copy, export
			r.Get("/", s.h(s.builderShow))
			r.Post("/publicera", s.h(s.builderPublish))
			r.Post("/kasta-utkast", s.h(s.builderAction(s.eservices.DiscardDraft, "discarded")))
			r.Post("/avpublicera", s.h(s.builderAction(s.eservices.Unpublish, "unpublished")))
			r.Post("/aterpublicera", s.h(s.builderAction(s.eservices.Republish, "republished")))
			r.Post("/period", s.h(s.builderPeriod))
			r.Post("/kopiera", s.h(s.builderCopy))
			r.Post("/arkivera", s.h(s.builderArchive))
			r.Get("/export", s.h(s.builderExport))
			// settings, statuses, message templates, caseworkers, notice texts
			r.Get("/installningar", s.h(s.builderSettings))
			r.Post("/installningar", s.h(s.builderSettingsSave))
			r.Get("/statusar", s.h(s.builderStatuses))
			r.Post("/statusar", s.h(s.builderStatusAdd))
			r.Post("/statusar/{status}", s.h(s.builderStatusSave))
			r.Post("/statusar/{status}/flytta", s.h(s.builderStatusMove))
			r.Post("/statusar/{status}/ta-bort", s.h(s.builderStatusRemove))
			r.Get("/mallar", s.h(s.builderTemplates))
			r.Post("/mallar", s.h(s.builderTemplateAdd))
			r.Post("/mallar/{template}", s.h(s.builderTemplateSave))
			r.Post("/mallar/{template}/ta-bort", s.h(s.builderTemplateRemove))
			r.Get("/handlaggare", s.h(s.builderCaseworkers))
			r.Post("/handlaggare", s.h(s.builderCaseworkersSave))
			r.Get("/aviseringar", s.h(s.builderNotices))
			r.Post("/aviseringar", s.h(s.builderNoticesSave))
			r.Get("/signering", s.h(s.builderSigning))
			r.Post("/signering", s.h(s.builderSigningSave))
			// form editor
			r.Get("/formular", s.h(s.builderForm))
			r.Post("/formular/steg", s.h(s.builderFormStepAdd))
			r.Get("/formular/steg/{step}", s.h(s.builderFormStep))
			r.Post("/formular/steg/{step}", s.h(s.builderFormStepSave))
			r.Post("/formular/steg/{step}/flytta", s.h(s.builderFormEdit(stepMove)))
			r.Post("/formular/steg/{step}/ta-bort", s.h(s.builderFormEdit(stepRemove)))
			r.Get("/formular/steg/{step}/nytt-falt", s.h(s.builderFormFieldNew))
			r.Post("/formular/steg/{step}/nytt-falt", s.h(s.builderFormFieldCreate))
			r.Get("/formular/falt/{field}", s.h(s.builderFormField))
			r.Post("/formular/falt/{field}", s.h(s.builderFormFieldSave))
			r.Post("/formular/falt/{field}/flytta", s.h(s.builderFormEdit(fieldMove)))
			r.Post("/formular/falt/{field}/ta-bort", s.h(s.builderFormEdit(fieldRemove)))
			// preview (its step posts, which take files, are in Handler)
			r.Get("/forhandsgranska", s.h(s.builderPreview))
			r.Get("/forhandsgranska/steg/{step}", s.h(s.builderPreviewStep))
			r.Get("/forhandsgranska/granska", s.h(s.builderPreviewReview))
			r.Post("/forhandsgranska/rensa", s.h(s.builderPreviewReset))
		})
	})
}

// uploadBodyLimit bounds a step post with files: the largest e-service allows 10 files of 25 MB.
const uploadBodyLimit = 260 << 20

// messageBodyLimit bounds a message with its attachments.
const messageBodyLimit = message.MaxFiles*message.MaxFileSize + 1<<20

// Handler returns every route of the portal.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(s.withRequest, s.accessLog, s.recoverPanics, s.secureHeaders, compress)

	// Probes and assets need no municipality, language or session.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", staticFiles())
	r.Get("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, web.Asset("favicon.svg"), http.StatusMovedPermanently)
	})

	// The case systems' API: a key per client, JSON errors, no session and no cookies (so no
	// cross-origin check either: a browser cannot send the key on another site's behalf).
	r.Route(apiPrefix, s.apiRoutes)

	pages := chi.Chain(s.locale, s.crossOrigin, s.sessions.LoadAndSave, markSession, s.guardSession)

	// Steps with file fields take larger bodies than the rest.
	r.With(append(pages, s.limitBody(uploadBodyLimit))...).Post("/utkast/{draft}/steg/{step}", s.h(s.draftStepSave))
	r.With(append(pages, s.limitBody(messageBodyLimit), s.requireCitizen)...).Post("/arenden/{case}/meddelanden", s.h(s.caseMessageSend))
	// So do the steps of an e-service admin's preview, which check files as a citizen's steps do.
	r.With(append(pages, s.limitBody(uploadBodyLimit), s.requireStaff, s.requireRole(staff.EServiceAdmin))...).
		Post(staffPrefix+"/etjanster/{eservice}/forhandsgranska/steg/{step}", s.h(s.builderPreviewStepSave))

	r.Group(func(r chi.Router) {
		r.Use(pages...)
		r.Use(s.limitBody(s.cfg.MaxBodyBytes))
		r.Get("/", s.h(s.home))
		r.Get("/kakor", s.h(s.cookies))
		r.Get("/logotyp", s.h(s.municipalityLogo))
		r.Get("/tillganglighet", s.h(s.accessibility))
		r.Post("/sprak", s.h(s.languageSet))
		r.Get("/personuppgifter", s.h(s.privacyPage))
		r.Get("/registerutdrag/format", s.h(s.rightsFormat))
		r.Get("/konto-raderat", s.h(s.rightsErased))

		r.Get("/login", s.h(s.loginStart))
		r.Get("/login/klar", s.h(s.loginReceive))
		r.Get("/saml/start", s.h(s.samlStart))
		r.Get("/saml/metadata", s.h(s.samlMetadata))
		r.Post("/saml/acs", s.h(s.samlACS))
		r.Get("/saml/signera", s.h(s.signingBegin))
		r.Post("/logout", s.h(s.logout))
		r.Get("/utloggad", s.h(s.loggedOut))
		r.Post("/session/forlang", s.h(s.sessionExtend))
		if !s.cfg.IsProduction() {
			r.Get("/dev/brevlada", s.h(s.devMailbox))
		}
		if s.devIdP != nil {
			r.Get("/idp/metadata", s.h(s.devIdPMetadata))
			r.Get("/idp/sso", s.h(s.devIdPPick))
			r.Post("/idp/sso", s.h(s.devIdPRespond))
		}

		r.Get("/e-tjanster", s.h(s.eserviceCatalogue))
		r.Get("/e-tjanster/{slug}", s.h(s.eserviceShow))
		r.Post("/e-tjanster/{slug}/starta", s.h(s.draftStart))
		r.Get("/utkast/{draft}/steg/{step}", s.h(s.draftStep))
		r.Get("/utkast/{draft}/filer/{file}", s.h(s.draftFile))
		r.Get("/utkast/{draft}/granska", s.h(s.draftReview))
		r.Post("/utkast/{draft}/skicka", s.h(s.caseSubmit))
		r.Post("/utkast/{draft}/radera", s.h(s.draftDelete))
		r.Get("/arenden/{case}/kvitto", s.h(s.caseReceipt))
		r.Get("/arenden/{case}/kvitto.pdf", s.h(s.caseReceiptPDF))
		// requests for public documents: anyone, without a name; the answer through a secret link
		r.Get("/allmanna-handlingar", s.h(s.publicRequest))
		r.Post("/allmanna-handlingar", s.h(s.publicRequestCreate))
		r.Get("/allmanna-handlingar/svar", s.h(s.publicRequestStatus))
		r.Get("/allmanna-handlingar/svar/handlingar.pdf", s.h(s.publicRequestPDF))
		r.Get("/allmanna-handlingar/svar/filer/{file}", s.h(s.publicRequestFile))

		r.Route(staffPrefix, func(r chi.Router) {
			r.Get("/login", s.h(s.staffLoginStart))
			r.Get("/login/klar", s.h(s.staffLoginReceive))
			r.Get("/saml/start", s.h(s.staffSAMLStart))
			r.Get("/saml/metadata", s.h(s.staffMetadata))
			r.Post("/saml/acs", s.h(s.staffACS))
			r.With(s.requireStaff).Group(s.staffRoutes)
		})

		r.Group(func(r chi.Router) {
			r.Use(s.requireCitizen)
			r.Get("/mina-sidor", s.h(s.myPages))
			r.Get("/mina-sidor/arenden", s.h(s.casesList))
			r.Get("/arenden/{case}", s.h(s.caseShow))
			r.Get("/arenden/{case}/filer/{file}", s.h(s.caseFile))
			r.Post("/arenden/{case}/komplettera", s.h(s.caseSupplementStart))
			r.Get("/arenden/{case}/aterkalla", s.h(s.caseWithdrawForm))
			r.Post("/arenden/{case}/aterkalla", s.h(s.caseWithdraw))
			r.Get("/mina-sidor/uppgifter", s.h(s.profileShow))
			r.Post("/mina-sidor/uppgifter", s.h(s.profileUpdate))
			r.Post("/mina-sidor/uppgifter/kod", s.h(s.profileCodeSend))
			r.Post("/mina-sidor/uppgifter/bekrafta", s.h(s.profileCodeVerify))
			// the register extract, requests under the data protection regulation, erasure
			r.Post("/mina-sidor/uppgifter/utdrag", s.h(s.rightsExtractAsk))
			r.Get("/mina-sidor/uppgifter/utdrag/{extract}", s.h(s.rightsExtractShow))
			r.Get("/mina-sidor/uppgifter/utdrag/{extract}/utdrag.pdf", s.h(s.rightsExtractPDF))
			r.Get("/mina-sidor/uppgifter/utdrag/{extract}/utdrag.json", s.h(s.rightsExtractJSON))
			r.Get("/mina-sidor/uppgifter/utdrag/{extract}/utdrag.zip", s.h(s.rightsExtractZIP))
			r.Get("/mina-sidor/uppgifter/begaran", s.h(s.rightsRequest))
			r.Post("/mina-sidor/uppgifter/begaran", s.h(s.rightsRequestFile))
			r.Get("/mina-sidor/uppgifter/radera", s.h(s.rightsErase))
			r.Post("/mina-sidor/uppgifter/radera", s.h(s.rightsEraseDo))
			r.Get("/mina-sidor/bokningar", s.h(s.bookingsList))
			r.Get("/mina-sidor/bokningar/{booking}", s.h(s.bookingShow))
			r.Get("/mina-sidor/bokningar/{booking}/kalender.ics", s.h(s.bookingICS))
			r.Post("/mina-sidor/bokningar/{booking}/avboka", s.h(s.bookingCancel))
			r.Get("/mina-sidor/bokningar/{booking}/omboka", s.h(s.bookingRebook))
			r.Post("/mina-sidor/bokningar/{booking}/omboka", s.h(s.bookingRebookSave))
			r.Get("/mina-sidor/allmanna-handlingar", s.h(s.myRequests))
			r.Get("/mina-sidor/allmanna-handlingar/{request}", s.h(s.myRequest))
			r.Get("/mina-sidor/allmanna-handlingar/{request}/handlingar.pdf", s.h(s.myRequestPDF))
			r.Get("/mina-sidor/allmanna-handlingar/{request}/filer/{file}", s.h(s.myRequestFile))
			r.Get("/boka/{resource}", s.h(s.bookingTimes))
			r.Post("/boka/{resource}", s.h(s.bookingCreate))
			// signing: the applicant sends for signing, a co-signer reads, signs or declines
			r.Post("/utkast/{draft}/signera", s.h(s.signingSend))
			r.Get("/utkast/{draft}/signering", s.h(s.signingStatus))
			r.Get("/signera/{party}", s.h(s.signingShow))
			r.Post("/signera/{party}", s.h(s.signingStart))
			r.Post("/signera/{party}/avboj", s.h(s.signingDecline))
			r.Get("/signera/{party}/filer/{file}", s.h(s.signingFile))
			// acting for a company or an association, and its cases
			r.Get("/mina-sidor/organisationer", s.h(s.orgList))
			r.Post("/mina-sidor/organisationer/foretrad", s.h(s.orgAct))
			r.Post("/mina-sidor/organisationer/sluta", s.h(s.orgStop))
			r.Post("/mina-sidor/organisationer/forening", s.h(s.orgDeclare))
			r.Get("/mina-sidor/organisationer/{kind}/{number}", s.h(s.orgCases))
		})
	})

	r.NotFound(pages.HandlerFunc(s.h(func(w http.ResponseWriter, r *http.Request) error {
		return apperr.New(apperr.NotFound, "")
	})).ServeHTTP)
	r.MethodNotAllowed(pages.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.failStatus(w, r, http.StatusMethodNotAllowed, nil)
	}).ServeHTTP)
	return r
}
