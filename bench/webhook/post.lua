-- wrk script: POSTs AdmissionReview requests in turn, as the API server sends them
-- (Content-Type application/json, ?timeout=5s in the URL). Arguments: the request files.
local bodies = {}
local next = 0

function init(args)
  for _, file in ipairs(args) do
    local f = assert(io.open(file, "rb"))
    table.insert(bodies, f:read("*a"))
    f:close()
  end
  assert(#bodies > 0, "give at least one AdmissionReview request file after --")
end

function request()
  next = next % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[next])
end
