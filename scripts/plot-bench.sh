#!/bin/sh
# Draws docs/performance.md's charts with gnuplot (Debian: gnuplot-nox) from the figures in
# docs/performance-data.txt, as PNG and SVG beside it:
#   docs/performance-ratios.{png,svg}  ours / gss-ntlmssp, log scale (the ASCII chart's bars)
#   docs/performance-apache.{png,svg}  Apache + mod_auth_gssapi: logons/s and worker RSS growth
#
#   scripts/plot-bench.sh [DATA] [OUTDIR]
#
# DATA holds "ratio LABEL VALUE" lines and "apache FIGURE OURS GSS-NTLMSSP" lines (LABEL with
# underscores for spaces); lines starting with # are comments.
set -eu

DATA=${1:-$(dirname "$0")/../docs/performance-data.txt}
OUT=${2:-$(dirname "$0")/../docs}
if ! command -v gnuplot > /dev/null 2>&1; then
    echo "plot-bench.sh: gnuplot is not installed (apt-get install gnuplot-nox)" >&2
    exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

awk '$1 == "ratio" { gsub(/_/, " ", $2); printf "\"%s\" %s\n", $2, $3 }' "$DATA" > "$TMP/ratios"
awk '$1 == "apache" { gsub(/_/, " ", $2); printf "\"%s\" %s %s\n", $2, $3, $4 }' "$DATA" \
    > "$TMP/apache"

for term in png svg; do
    case $term in
    png) setterm="set terminal pngcairo noenhanced size 960,560 font 'sans,10'" ;;
    svg) setterm="set terminal svg noenhanced size 960,560 font 'sans,10' dynamic" ;;
    esac
    gnuplot <<GP
$setterm
set output '$OUT/performance-ratios.$term'
set title 'sspigss NTLM module / gss-ntlmssp (higher is better for ours; log scale)'
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set logscale y
set yrange [0.5:*]
set grid ytics
set xtics rotate by -35 scale 0
set key off
set ylabel 'times'
set bmargin 10
set rmargin 12
plot '$TMP/ratios' using 2:xtic(1) linecolor rgb '#3a7ebf', \
     '' using 0:(\$2*1.2):(\$2 >= 100 ? sprintf('%.0fx', \$2) : sprintf('%.3gx', \$2)) with labels
GP
    gnuplot <<GP
$setterm
set output '$OUT/performance-apache.$term'
set multiplot layout 1,2 title 'Apache + mod_auth_gssapi, 8 clients, a new TCP connection per logon'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set xtics scale 0
set key top left
set yrange [0:*]
set ylabel 'logons/s'
plot '$TMP/apache' every ::0::0 using 2:xtic(1) title 'ours' linecolor rgb '#3a7ebf', \
     '' every ::0::0 using 3 title 'gss-ntlmssp' linecolor rgb '#bf6a3a'
set ylabel 'KiB per 1,000 logons (log scale)'
set logscale y
set yrange [1:*]
plot '$TMP/apache' every ::1::1 using 2:xtic(1) title 'ours' linecolor rgb '#3a7ebf', \
     '' every ::1::1 using 3 title 'gss-ntlmssp' linecolor rgb '#bf6a3a'
unset multiplot
GP
done
echo "plot-bench.sh: wrote $OUT/performance-ratios.{png,svg} and $OUT/performance-apache.{png,svg}"
