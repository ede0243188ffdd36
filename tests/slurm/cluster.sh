#!/usr/bin/env bash
# A private, single-node Slurm cluster on localhost for the tests of execution: {kind: slurm}.
#
#   cluster.sh start DIR    build and start a cluster whose every file lives in DIR (a fresh,
#                           empty directory), wait until it takes jobs, print its environment
#   cluster.sh stop DIR     end every process of that cluster (daemons and jobs); DIR stays
#   cluster.sh status DIR   say which daemons run; exit 0 only when all of them do
#   cluster.sh env DIR      print the environment a client needs (export SLURM_CONF=...)
#
# The daemons are Debian 12's (scripts/install-deps.sh): munged, a MariaDB server, slurmdbd (so
# that sacct answers), slurmctld and slurmd, all as root, none through systemd: CI may have no
# init system. They listen on free, non-default ports of 127.0.0.1, so that two clusters, or a
# system Slurm, do not collide; a client needs only SLURM_CONF=DIR/slurm.conf.
set -euo pipefail

usage() {
  echo "usage: $0 {start|stop|status|env} DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
DIR=$2
[ -n "$DIR" ] || usage
[ -d "$DIR" ] || { echo "cluster.sh: no directory $DIR" >&2; exit 2; }
DIR=$(cd "$DIR" && pwd -P)

# The daemons Slurm and MariaDB install in /usr/sbin; a test's PATH may not have it.
export PATH="/usr/sbin:/sbin:$PATH"

# Where each piece lives. Unix sockets (munge's, MariaDB's, slurmstepd's in the spool) must fit
# in 108 bytes, hence the short names.
MUNGE_SOCKET=$DIR/munge/sock
MUNGE_PID=$DIR/munge/munged.pid
DB_DIR=$DIR/db
DB_SOCKET=$DIR/db.sock
DB_PID=$DIR/run/mariadbd.pid
SLURM_CONF_FILE=$DIR/slurm.conf
DBD_CONF_FILE=$DIR/slurmdbd.conf
DBD_PID=$DIR/run/slurmdbd.pid
CTLD_PID=$DIR/run/slurmctld.pid
SLURMD_PID=$DIR/run/slurmd.pid
LOGS=$DIR/log
START_TIMEOUT=${TANDEM_SLURM_START_TIMEOUT:-60}

# The daemons, in start order; stop ends them all at once.
DAEMONS=(munged mariadbd slurmdbd slurmctld slurmd)
pid_file() {
  case $1 in
    munged) echo "$MUNGE_PID" ;; mariadbd) echo "$DB_PID" ;; slurmdbd) echo "$DBD_PID" ;;
    slurmctld) echo "$CTLD_PID" ;; slurmd) echo "$SLURMD_PID" ;;
  esac
}

# The pid in a pid file, if that process is alive.
live_pid() {
  local file pid
  file=$(pid_file "$1")
  [ -s "$file" ] || return 1
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Every process of this cluster that a pid file may miss: a daemon that died before writing
# one, or jobs and their slurmstepd, which slurmd leaves running when it stops. A daemon names
# DIR on its command line or, like every process started by our daemons (slurmstepd, the jobs),
# carries SLURM_CONF=DIR/slurm.conf in its environment. Of the other processes with that
# variable (this script, its callers, the code under test), only jobs (SLURM_JOB_ID) are ours.
cluster_processes() {
  local self_and_ancestors=" " p=$$ file pid comm
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    self_and_ancestors+="$p "
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null || true)
  done
  # One grep over all of /proc (-z: NUL-separated entries); a process may vanish meanwhile.
  {
    grep -lzxF -- "SLURM_CONF=$SLURM_CONF_FILE" /proc/[0-9]*/environ 2>/dev/null || true
    grep -lzF -- "$DIR/" /proc/[0-9]*/cmdline 2>/dev/null || true
  } | while read -r file; do
    pid=${file#/proc/}
    pid=${pid%%/*}
    case $self_and_ancestors in *" $pid "*) continue ;; esac
    comm=$(cat 2>/dev/null "/proc/$pid/comm") || continue
    case $comm in
      munged|mariadbd|mysqld|slurmdbd|slurmctld|slurmscriptd|slurmd|slurmstepd) echo "$pid" ;;
      *) if grep -qz '^SLURM_JOB_ID=' "/proc/$pid/environ" 2>/dev/null &&
            grep -qzxF -- "SLURM_CONF=$SLURM_CONF_FILE" "/proc/$pid/environ" 2>/dev/null; then
           echo "$pid"
         fi ;;
    esac
  done | sort -un
}

# Running, not a zombie waiting for init to reap it.
running() {
  kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

stop_cluster() {
  local daemons=() pid name deadline alive
  for name in "${DAEMONS[@]}"; do
    if pid=$(live_pid "$name"); then daemons+=("$pid"); fi
  done
  # Jobs and their slurmstepd go first and hard: nothing of theirs is worth keeping.
  for pid in $(cluster_processes); do
    case $(cat 2>/dev/null "/proc/$pid/comm") in
      munged|mariadbd|mysqld|slurmdbd|slurmctld|slurmscriptd|slurmd)
        case " ${daemons[*]} " in *" $pid "*) ;; *) daemons+=("$pid") ;; esac ;;
      *) kill -KILL "$pid" 2>/dev/null || true ;;
    esac
  done
  # Daemons get TERM: MariaDB flushes InnoDB (a second or so), the rest stop at once.
  if [ "${#daemons[@]}" -gt 0 ]; then
    kill -TERM "${daemons[@]}" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while :; do
      alive=()
      for pid in "${daemons[@]}"; do
        if running "$pid"; then alive+=("$pid"); fi
      done
      [ "${#alive[@]}" -gt 0 ] || break
      if [ $SECONDS -ge $deadline ]; then
        echo "cluster.sh: killing daemons that ignored TERM: ${alive[*]}" >&2
        kill -KILL "${alive[@]}" 2>/dev/null || true
        break
      fi
      daemons=("${alive[@]}")
      sleep 0.1
    done
  fi
  # Anything that appeared meanwhile (a step slurmd was starting) goes too.
  for pid in $(cluster_processes); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$MUNGE_PID" "$DB_PID" "$DBD_PID" "$CTLD_PID" "$SLURMD_PID"
}

# The tails of the daemons' logs, for a start that failed.
show_logs() {
  local log
  for log in "$LOGS"/*; do
    [ -s "$log" ] || continue
    echo "---- $log (last 25 lines)" >&2
    tail -n 25 "$log" >&2
  done
}

DB_LAUNCHED=
fail() {
  echo "cluster.sh: $*" >&2
  show_logs
  if [ -n "$DB_LAUNCHED" ]; then kill -TERM "$DB_LAUNCHED" 2>/dev/null || true; fi
  stop_cluster
  exit 1
}

# Four consecutive TCP ports that nothing uses, away from Slurm's (6817-6819) and MySQL's (3306)
# defaults and below Linux's ephemeral range (32768 on), where an outgoing connection could take
# one first; a random base keeps two clusters started together apart.
free_ports() {
  local listening base i
  for _ in $(seq 1 50); do
    base=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    listening=$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
    for i in 0 1 2 3; do
      if grep -qx "$((base + i))" <<<"$listening"; then continue 2; fi
    done
    echo "$base"
    return 0
  done
  return 1
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local timeout=$1 deadline
  shift
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

start_cluster() {
  local binary
  for binary in munged mungekey mariadbd mariadb-install-db mariadb slurmdbd slurmctld slurmd \
                sacctmgr sinfo sacct; do
    command -v "$binary" >/dev/null ||
      { echo "cluster.sh: $binary is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
  done
  # A stopped cluster's DIR may be reused: its files go, nothing of it carries over.
  if [ -f "$SLURM_CONF_FILE" ]; then
    if [ -n "$(cluster_processes)" ]; then
      echo "cluster.sh: a cluster is running in $DIR; stop it first" >&2
      exit 1
    fi
    rm -rf "$DIR/munge" "$DB_DIR" "$DB_SOCKET" "$DIR/run" "$DIR/state" "$DIR/spool" "$LOGS" \
      "$SLURM_CONF_FILE" "$DBD_CONF_FILE"
  fi
  if [ -n "$(ls -A "$DIR")" ]; then
    echo "cluster.sh: $DIR is not empty; start needs a fresh directory" >&2
    exit 1
  fi
  local node cpus base db_port dbd_port ctld_port slurmd_port cluster
  node=$(hostname -s)
  # The longest Unix socket path is slurmstepd's, DIR/spool/<node>_<job>.<step>, with ids of up
  # to 10 digits; the kernel takes 107 bytes.
  local longest=$((${#DIR} + 7 + ${#node} + 22))
  if [ $longest -gt 107 ]; then
    echo "cluster.sh: $DIR is too long for the daemons' Unix sockets ($longest > 107 bytes)" >&2
    exit 1
  fi
  trap 'fail "start interrupted"' INT TERM
  cpus=$(nproc)
  base=$(free_ports) || { echo "cluster.sh: found no free ports" >&2; exit 1; }
  db_port=$base dbd_port=$((base + 1)) ctld_port=$((base + 2)) slurmd_port=$((base + 3))
  # Unique per cluster: the name slurmctld registers with slurmdbd.
  cluster=tandem$ctld_port

  # Munge refuses a socket or key directory that others may write.
  mkdir -p "$DIR/munge" "$DIR/run" "$DIR/state" "$DIR/spool" "$LOGS"
  chmod 0700 "$DIR/munge"
  mungekey --create --keyfile="$DIR/munge/munge.key" || fail "mungekey failed"
  chmod 0400 "$DIR/munge/munge.key"
  # --force: munged dislikes running as root and a group-writable parent of DIR; both are fine
  # for a private test cluster.
  munged --force --socket="$MUNGE_SOCKET" --key-file="$DIR/munge/munge.key" \
    --pid-file="$MUNGE_PID" --log-file="$LOGS/munged.log" --seed-file="$DIR/munge/seed" \
    </dev/null >>"$LOGS/munged.log" 2>&1 || fail "munged did not start"

  # MariaDB: a datadir of our own, TCP on 127.0.0.1 only (slurmdbd's MySQL plugin connects by
  # host and port; it cannot be told a socket). --no-defaults keeps /etc/mysql out. Small InnoDB
  # files keep DIR small and start fast.
  local db_options=(--no-defaults --datadir="$DB_DIR" --socket="$DB_SOCKET" --user=root
                    --innodb-log-file-size=8M --innodb-buffer-pool-size=32M
                    --innodb-data-file-path=ibdata1:10M:autoextend)
  mariadb-install-db "${db_options[@]}" --auth-root-authentication-method=socket \
    --skip-test-db >"$DIR/db-install.log" 2>&1 ||
    fail "mariadb-install-db failed: $(tail -n 20 "$DIR/db-install.log")"
  # setsid: its own session, like the daemons that fork; it writes its pid file itself, but may
  # not have yet when a failed start stops it, hence DB_LAUNCHED.
  setsid mariadbd "${db_options[@]}" --port="$db_port" --bind-address=127.0.0.1 \
    --skip-name-resolve --pid-file="$DB_PID" --log-error="$LOGS/mariadbd.log" \
    --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    </dev/null >>"$LOGS/mariadbd.log" 2>&1 &
  DB_LAUNCHED=$!
  wait_for "$START_TIMEOUT" mariadb --no-defaults --socket="$DB_SOCKET" -uroot -e 'SELECT 1' ||
    fail "MariaDB did not start within ${START_TIMEOUT}s"
  # slurmdbd logs in over TCP with a password; root over the socket makes that account.
  local db_password
  db_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  mariadb --no-defaults --socket="$DB_SOCKET" -uroot <<SQL || fail "could not create the slurm database"
CREATE DATABASE slurm_acct_db;
CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$db_password';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL

  # slurmdbd insists on mode 0600 and its SlurmUser owning the file.
  (umask 077 && cat >"$DBD_CONF_FILE" <<EOF)
# Generated by tests/slurm/cluster.sh
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
DbdHost=$node
DbdAddr=127.0.0.1
DbdPort=$dbd_port
SlurmUser=root
PidFile=$DBD_PID
LogFile=$LOGS/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=slurm
StoragePass=$db_password
StorageLoc=slurm_acct_db
EOF
  chmod 0600 "$DBD_CONF_FILE"

  cat >"$SLURM_CONF_FILE" <<EOF
# Generated by tests/slurm/cluster.sh: a private single-node cluster; every file is in $DIR.
ClusterName=$cluster
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups, no systemd: plain /proc process tracking, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
MpiDefault=none
# One CPU per job by default, several jobs on the node at once.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Schedule a submitted job at once (by default up to 3 s later).
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbd_port
# With slurmdbd, this names the munge socket for talking to it (else the system's).
AccountingStoragePass=$MUNGE_SOCKET
JobCompType=jobcomp/none
MailProg=/bin/true
# Short waits, so that tests are fast: a job over its time limit is stopped at slurmctld's next
# time-limit check (every 30 s, fixed in Slurm), with no grace minutes, and killed 2 s after its
# SIGTERM (as a cancelled job is); a dead slurmd marks the node down after 30 s, not 300 s.
# squeue knows a job for MinJobAge (the default, 5 min) after it ends; sacct always does.
OverTimeLimit=0
KillWait=2
MinJobAge=300
SlurmdTimeout=30
InactiveLimit=0
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

  # slurmdbd has no -f: it reads slurmdbd.conf beside $SLURM_CONF.
  export SLURM_CONF=$SLURM_CONF_FILE
  slurmdbd </dev/null >>"$LOGS/slurmdbd.out" 2>&1 || fail "slurmdbd did not start"
  # slurmctld needs its cluster in the database before it starts.
  wait_for "$START_TIMEOUT" sacctmgr -i add cluster "$cluster" ||
    fail "slurmdbd did not answer sacctmgr within ${START_TIMEOUT}s"
  # -i: ignore any state in StateSaveLocation (there is none; DIR is fresh).
  slurmctld -i -f "$SLURM_CONF_FILE" </dev/null >>"$LOGS/slurmctld.out" 2>&1 ||
    fail "slurmctld did not start"
  slurmd -f "$SLURM_CONF_FILE" -N "$node" </dev/null >>"$LOGS/slurmd.out" 2>&1 ||
    fail "slurmd did not start"

  node_idle() { [ "$(sinfo -h -n "$node" -o %t 2>/dev/null)" = idle ]; }
  wait_for "$START_TIMEOUT" node_idle || fail "node $node not idle within ${START_TIMEOUT}s"
  wait_for "$START_TIMEOUT" sacct -n -X -j 1 ||
    fail "sacct did not answer within ${START_TIMEOUT}s"
  trap - INT TERM
  print_env
}

print_env() {
  echo "export SLURM_CONF=$SLURM_CONF_FILE"
}

status_cluster() {
  local name pid missing=0
  for name in "${DAEMONS[@]}"; do
    if pid=$(live_pid "$name"); then echo "$name: running (pid $pid)"; else
      echo "$name: not running"
      missing=1
    fi
  done
  return $missing
}

case $command in
  start) start_cluster ;;
  stop) stop_cluster ;;
  status) status_cluster ;;
  env) print_env ;;
  *) usage ;;
esac
