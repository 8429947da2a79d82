# The account component of each customer of tests/cli/export-every-kind
# whose id is not one as it is (arctl-export(1), ACCOUNTS): the valid ids
# ACME, Acme and BETA keep theirs; the others, in file order, take the id
# made valid, with -2 appended when another customer has that already.
s/^Assets:Receivable:acme /Assets:Receivable:Acme-2 /
s/^Assets:Receivable:a\.b /Assets:Receivable:A-b /
s/^Assets:Receivable:a_b /Assets:Receivable:A-b-2 /
s/^Assets:Receivable:jp\.kk /Assets:Receivable:Jp-kk /
