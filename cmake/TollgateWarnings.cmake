# Per-target compiler settings: warnings everywhere, -Werror under CI, sanitizers on request.
function(tollgate_target_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2)
  if(TOLLGATE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TOLLGATE_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
