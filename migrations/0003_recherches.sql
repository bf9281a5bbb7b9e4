-- Anonymous search counts: normalised text per day, nothing else (no address, agent, cookie).

CREATE TABLE search_counts (
    day         TEXT NOT NULL,
    query       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (day, query)
);
