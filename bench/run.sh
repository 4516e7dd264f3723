#!/usr/bin/env bash
# Runs the benchmark suite, myelin and LibTorch alternately, and prints one table per thread
# count: each figure for both sides and the ratio myelin/LibTorch (medians over the rounds).
#
#   bench/run.sh [--build DIR] [--threads "1 2"] [--rounds 3] [--workloads "w1 w2 w3 w4 w5"] [--keep-coretype]
#
# OPENBLAS_CORETYPE is unset unless --keep-coretype is given: a user's machine does not set it,
# and forcing an older core type (e.g. Haswell) halves OpenBLAS's speed on AVX-512 machines.
# Both sides link the same OpenBLAS and get the same explicit thread count.
set -euo pipefail

build=build
threads="1 2"
rounds=3
keep_coretype=0
workloads="w1 w2 w3 w4 w5"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --keep-coretype) keep_coretype=1; shift ;;
    *) echo "bench/run.sh: unknown option '$1' (expected --build, --threads, --rounds, --workloads, --keep-coretype)" >&2; exit 2 ;;
  esac
done
[ "$keep_coretype" -eq 1 ] || unset OPENBLAS_CORETYPE

mine=$build/bench/myelin_bench
theirs=$build/bench/torch_bench
[ -x "$mine" ] || { echo "bench/run.sh: $mine not built (make bench builds it)" >&2; exit 1; }
[ -x "$theirs" ] || { echo "bench/run.sh: $theirs not built: LibTorch missing? (scripts/setup --bench)" >&2; exit 1; }
# W2 and W3 have a program per side of their own (bench/w2_cnn_*.cpp, bench/w3_lstm_*.cpp).
for p in w2_cnn_myelin w2_cnn_torch w3_lstm_myelin w3_lstm_torch; do
  [[ " $workloads " != *" ${p%%_*} "* ]] || [ -x "$build/bench/$p" ] ||
    { echo "bench/run.sh: $build/bench/$p not built (make bench builds it; LibTorch: scripts/setup --bench)" >&2; exit 1; }
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}  OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(unset)}  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Alternate the sides workload by workload, so that a burst of load on this machine hits both.
for t in $threads; do
  for r in $(seq "$rounds"); do
    for w in $workloads; do
      case "$w" in
        w2) mine_run=("$build/bench/w2_cnn_myelin" --epochs 2); theirs_run=("$build/bench/w2_cnn_torch" --epochs 2) ;;
        w3) mine_run=("$build/bench/w3_lstm_myelin"); theirs_run=("$build/bench/w3_lstm_torch") ;;
        *) mine_run=("$mine" "$w"); theirs_run=("$theirs" "$w") ;;
      esac
      "${mine_run[@]}" --threads "$t" | sed "s/^/myelin $t /" >> "$out/results"
      "${theirs_run[@]}" --threads "$t" | sed "s/^/torch $t /" >> "$out/results"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# results: "<side> <threads> <key> <value>" lines; the table shows per key the median value.
awk -v peak_per_thread=220.5 '
function median(key,   n, i, j, v, tmp) {
  n = count[key]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) v[i] = vals[key, i]
  for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { tmp = v[j]; v[j] = v[j - 1]; v[j - 1] = tmp }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function row(label, key, t, fmt,   m, o) {
  m = median("myelin" SUBSEP t SUBSEP key); o = median("torch" SUBSEP t SUBSEP key)
  if (m == "" && o == "") return  # a workload left out by --workloads
  printf "| %-34s | " fmt " | " fmt " | %6.2f |\n", label, m, o, (o != 0 ? m / o : 0)
}
{ k = $1 SUBSEP $2 SUBSEP $3; vals[k, ++count[k]] = $4; seen[$2] = 1 }
END {
  for (t in seen) list = list " " t
  n = split(list, ts, " ")
  for (i = 1; i <= n; i++) for (j = i; j > 1 && ts[j - 1] + 0 > ts[j] + 0; j--) { tmp = ts[j]; ts[j] = ts[j - 1]; ts[j - 1] = tmp }
  for (i = 1; i <= n; i++) {
    t = ts[i]
    printf "\n### %d thread%s\n\n", t, (t == 1 ? "" : "s")
    printf "| %-34s | %10s | %10s | %6s |\n", "figure", "myelin", "LibTorch", "ratio"
    printf "|%s|%s|%s|%s|\n", "------------------------------------", "------------", "------------", "--------"
    row("W1 MLP training, s/epoch", "w1_epoch_s", t, "%10.3f")
    row("W1 MLP training, CPU s/epoch", "w1_epoch_cpu_s", t, "%10.3f")
    if (median("myelin" SUBSEP t SUBSEP "w1_gemm_floor_cpu_s") != "")
      printf "| %-34s | %10.3f | %10s | %6s |\n", "W1 its GEMMs alone via BLAS, CPU s", median("myelin" SUBSEP t SUBSEP "w1_gemm_floor_cpu_s"), "", ""
    row("W1 test accuracy after 3 epochs", "w1_test_acc", t, "%10.4f")
    row("W1 peak resident memory, MiB", "w1_peak_rss_mib", t, "%10.1f")
    row("W2 CNN training, s/epoch", "w2_epoch_wall_s", t, "%10.3f")
    row("W2 CNN training, CPU s/epoch", "w2_epoch_cpu_s", t, "%10.3f")
    row("W3 LSTM training, tokens/s", "w3_tokens_per_s", t, "%10.0f")
    row("W3 LSTM training, tokens/CPU s", "w3_tokens_per_cpu_s", t, "%10.0f")
    row("W3 loss after 65 steps", "w3_loss", t, "%10.3f")
    row("W4 batch-1 inference, us/call", "w4_latency_us", t, "%10.1f")
    split("256 512 1024 2048", sizes, " ")
    for (s = 1; s <= 4; s++) row("W5 matmul " sizes[s] "^2, GFLOP/s", "w5_matmul_gflops_" sizes[s], t, "%10.1f")
    if (median("myelin" SUBSEP t SUBSEP "w5_gemm_gflops_256") == "") continue
    printf "\nW5 against OpenBLAS called directly (cblas_sgemm), %d thread%s; FMA peak %.0f GFLOP/s\n\n", t, (t == 1 ? "" : "s"), peak_per_thread * t
    printf "| %6s | %14s | %13s | %11s | %13s | %9s |\n", "n", "myelin::matmul", "backend::gemm", "cblas_sgemm", "gemm / cblas", "% of peak"
    printf "|--------|----------------|---------------|-------------|---------------|-----------|\n"
    for (s = 1; s <= 4; s++) {
      z = sizes[s]
      mm = median("myelin" SUBSEP t SUBSEP "w5_matmul_gflops_" z)
      g = median("myelin" SUBSEP t SUBSEP "w5_gemm_gflops_" z)
      c = median("myelin" SUBSEP t SUBSEP "w5_openblas_gflops_" z)
      printf "| %6d | %14.1f | %13.1f | %11.1f | %13.2f | %8.0f%% |\n", z, mm, g, c, (c ? g / c : 0), 100 * g / (peak_per_thread * t)
    }
  }
}' "$out/results"
