-- +goose Up
-- A caseworker checks an association's representative (package organisation): an e-service may
-- require that the representation of an association a case is made for be checked. The check is
-- kept on the declaration, so that it counts for the person's later cases for that association;
-- a refused declaration means the person can no longer act for it.
ALTER TABLE eservice ADD COLUMN association_check boolean NOT NULL DEFAULT false;
ALTER TABLE association_representative
    ADD COLUMN checked_at timestamptz,
    ADD COLUMN checked_by text,      -- the caseworker's name, as the timeline shows it
    ADD COLUMN refused    boolean NOT NULL DEFAULT false,
    ADD COLUMN checked_case uuid REFERENCES cases (id) ON DELETE SET NULL, -- the case it was checked on
    ADD CONSTRAINT association_representative_checked CHECK ((checked_at IS NULL) = (checked_by IS NULL) AND (checked_at IS NOT NULL OR NOT refused));
