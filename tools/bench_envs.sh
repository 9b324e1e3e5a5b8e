# The envs the bench records come from, as env[:linker]: each backend env of tox.ini under
# its default linker, and the JAX and PyTorch envs under theirs. The other envs repeat these
# backends (multi, broken*). Sourced by bench_all.sh and bench_models.sh.
BENCH_PAIRINGS=(
    py38-theano py39-theanopymc py39-aesara28 py311-aesara py310-pytensor28
    py311-pytensor2 py311-pytensor30 py313-pytensor3
    py312-pytensor3-jax:jax py311-pytensor30-torch:pytorch
)
# bench_models.sh's: PyTensor's PyTorch linker runs eq as torch.equal, one bool, and the
# models' loss gradient checks a broadcast with eq, so no candidate's step runs there.
MODEL_PAIRINGS=("${BENCH_PAIRINGS[@]/py311-pytensor30-torch:pytorch/}")

# for_each_pairing LIST COMMAND...: runs COMMAND ENV [--linker LINKER] for each pairing of
# the array named LIST, or of $ONLY (ONLY="py311-pytensor30-torch:pytorch").
for_each_pairing() {
    local pairing env pairings list="$1[*]"
    shift
    read -ra pairings <<< "${ONLY:-${!list}}"
    for pairing in "${pairings[@]}"; do
        env=${pairing%%:*}
        if [ "$pairing" = "$env" ]; then
            "$@" "$env"
        else
            "$@" "$env" --linker "${pairing#*:}"
        fi
    done
}
