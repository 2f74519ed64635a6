-- +goose Up
-- The account's index holds the closing time and the removal from the account since 00041, so
-- Mina ärenden's ongoing and closed lists are read from it alone, and this index only cost every
-- submit an insert and every plan of a query on cases one more path to weigh.
DROP INDEX IF EXISTS cases_account_closed_idx;
