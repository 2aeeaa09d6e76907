# For test_host_tool's fleet: gives the first N reasons of an exit_stats file
# that have no exits one exit of 100 cycles each, and TOTAL the same, so that
# the file stays consistent with more reasons.  awk -v n=N -f more_reasons.awk FILE
$1 ~ /^[0-9]+$/ && $3 == 0 && added < n { $3 = 1; $4 = 100; $5 = 100; $6 = 100; $7 = 1; $8 = 100; $9 = 100; added++ }
$2 == "TOTAL" { $3 = sprintf("%.0f", $3 + added); $4 = sprintf("%.0f", $4 + 100 * added); if ($5 > 100) $5 = 100; $7 = sprintf("%.0f", $7 + added); $8 = sprintf("%.0f", $8 + 100 * added) }
{ print }
