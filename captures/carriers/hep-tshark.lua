-- A minimal HEP2/HEP3 dissector for tshark 4.0, which has none: it opens the envelope and hands
-- the payload (chunk 15, or chunk 16 inflated) to Wireshark's own SIP dissector, so the
-- cross-check can hold ButtonScope's HEP reading against tshark's SIP reading frame by frame.
-- Used only by the tests: tshark -X lua_script:captures/carriers/hep-tshark.lua
local hep = Proto("hepx", "HEP (ButtonScope test dissector)")
local sip = Dissector.get("sip")

local function payload_of(tvb, offset, total)
    local i = offset + 6
    while i + 6 <= offset + total do
        local vendor, ctype, len = tvb(i, 2):uint(), tvb(i + 2, 2):uint(), tvb(i + 4, 2):uint()
        if len < 6 or i + len > offset + total then return nil end
        if vendor == 0 and ctype == 15 then return tvb(i + 6, len - 6):tvb() end
        if vendor == 0 and ctype == 16 then
            local r = tvb(i + 6, len - 6):uncompress("HEP payload")
            return r and r:tvb()
        end
        i = i + len
    end
end

local function hep3_at(tvb, offset)
    return tvb:len() - offset >= 4 and tvb(offset, 4):string() == "HEP3"
end

local function dissect(tvb, pinfo, tree)
    local n, offset, found = tvb:len(), 0, false
    if n >= 28 and (tvb(0, 1):uint() == 2 or tvb(0, 1):uint() == 1) and tvb(1, 1):uint() == 16 and tvb(2, 1):uint() == 2 then
        local skip = 16 + (tvb(0, 1):uint() == 2 and 12 or 0)
        pinfo.cols.protocol = "HEP2"
        sip:call(tvb(skip):tvb(), pinfo, tree)
        return n
    end
    while offset < n do
        if not hep3_at(tvb, offset) then return found and offset or 0 end
        if n - offset < 6 then pinfo.desegment_offset = offset; pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT; return n end
        local total = tvb(offset + 4, 2):uint()
        if n - offset < total then pinfo.desegment_offset = offset; pinfo.desegment_len = total - (n - offset); return n end
        local p = payload_of(tvb, offset, total)
        if p then sip:call(p, pinfo, tree) end
        found = true
        offset = offset + total
    end
    return offset
end

function hep.dissector(tvb, pinfo, tree) return dissect(tvb, pinfo, tree) end
local function heuristic(tvb, pinfo, tree)
    if hep3_at(tvb, 0) or (tvb:len() >= 28 and tvb(0, 1):uint() <= 2 and tvb(1, 1):uint() == 16 and tvb(2, 1):uint() == 2) then
        pinfo.conversation = hep
        dissect(tvb, pinfo, tree)
        return true
    end
    return false
end
hep:register_heuristic("udp", heuristic)
hep:register_heuristic("tcp", heuristic)
-- HEP's usual port, so a port dissector for the agent's ephemeral port does not take it first.
DissectorTable.get("udp.port"):add(9060, hep)
