# Sourced by bootstrap.sh and env.sh. `npm test` / `npm run demo` export the parent npm's view of the world to
# their scripts: npm_config_user_agent ("npm/… node/v20…"), its node-gyp, prefix, nodedir and global config.
# Nested installs that inherit them build for the wrong Node (code-server's postinstall reads the Node major
# from npm_config_user_agent and refuses Node 20). clean_npm_env drops all of them but the user's network
# settings (registry, proxy, certificates), which the nested npm needs to reach the registry at all.
clean_npm_env() {
  local name key
  for name in $(compgen -e); do
    key=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
    case "$key" in
      npm_config_registry | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | npm_config_cafile | \
        npm_config_ca | npm_config_strict_ssl | npm_config_userconfig | npm_config_cache | npm_config_fetch_*) ;;
      npm_* | init_cwd) unset "$name" ;;
    esac
  done
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
}
