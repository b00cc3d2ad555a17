-- The RFC 2253 subject of a cluster's member certificates (issue 16 item 4, the cluster-member rule);
-- NULL when not recorded.
ALTER TABLE clusters ADD COLUMN member_certificate_subject TEXT;
